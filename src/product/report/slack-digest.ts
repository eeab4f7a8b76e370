import { lowUtilizationTitle } from '../alert/low-utilization.js';
import type { Alert, AlertSeverity } from '../alert/types.js';
import { formatCell, type UsageRow } from '../calculator/index.js';
import type { Config } from '../config/types.js';
import {
  alertMrkdwn,
  type Block,
  context,
  DIVIDER,
  header,
  joinWithin,
  MAX_BLOCKS,
  MAX_TEXT_CHARS,
  mrkdwnLink,
  type SlackMessage,
  section,
} from '../shared/block-kit.js';
import { nodesOn } from '../shared/calendar.js';
import { compareCodePoints } from '../shared/compare.js';
import { addDays, type IsoDate, weekStart } from '../shared/dates.js';
import { escapeMrkdwn, escapeMrkdwnWithin } from '../shared/inert-text.js';
import { roundHalfUp } from '../shared/round.js';
import { type OutlookLead, outlookSentence } from './outlook-lead.js';

export type DigestLinks = {
  /** The W&B Report's URL, when the job has one. */
  readonly report?: string | undefined;
  /** Published runs by tag: a company's run links its name, the others (overall) go with the Report. */
  readonly runs: readonly { readonly tag: string; readonly url: string }[];
};

export type DigestInput = {
  readonly target: IsoDate;
  readonly config: Pick<Config, 'companies' | 'weekStartIndex'>;
  /** The daily usage table: period = 'YYYY-MM-DD'. */
  readonly daily: readonly UsageRow[];
  /** The weekly usage table: period = the week's first day. */
  readonly weekly: readonly UsageRow[];
  /** The job's alerts; a company's low-utilisation alert is marked on its line, the others get a section each. */
  readonly alerts: readonly Alert[];
  readonly links: DigestLinks;
  /** The month's allocation outlook, `at risk` first (docs/behaviour.md §13); the digest opens with it. */
  readonly outlook?: readonly OutlookLead[] | undefined;
  /** At a month's end: each company's run holding its statement. */
  readonly statements?: readonly { readonly company: string; readonly url: string }[] | undefined;
};

const DIGEST_TITLE = 'GPU usage digest';
/** A company name longer than this, once escaped, is cut on its line (the config does not bound names). */
const NAME_MAX_CHARS = 100;
/** Alerts shown as sections; the rest are counted in one line (W&B has them all). */
const MAX_ALERT_SECTIONS = 5;
const SEVERITY_EMOJI: Record<AlertSeverity, string> = {
  INFO: ':information_source:',
  WARN: ':warning:',
  ERROR: ':rotating_light:',
};

/**
 * The Slack digest of T: one message, or several ("(2/3)" in each header) when the companies' lines
 * do not fit in one message's 50 blocks. Companies are those with nodes on T, in code-point order;
 * lines are packed whole into sections of at most 3,000 characters.
 */
export function buildDigest(input: DigestInput): SlackMessage[] {
  const { target } = input;
  const companies = input.config.companies
    .filter((c) => nodesOn(c, target) > 0)
    .sort((a, b) => compareCodePoints(a.company, b.company));
  const names = new Set(companies.map((c) => c.company));
  const runUrls = new Map(input.links.runs.map((r) => [r.tag, r.url]));
  const alertTitles = new Set(input.alerts.map((a) => a.title));
  // A listed company's low-utilisation alert is marked on its line instead of having a section.
  const folded = new Set(companies.map((c) => lowUtilizationTitle(c.company)));
  const rows = indexRows(input.daily, input.weekly);
  const lines = companies.map((c) =>
    companyLine(
      {
        company: c.company,
        nodes: nodesOn(c, target),
        day: rows.get(key(c.company, target)),
        previous: rows.get(key(c.company, addDays(target, -1))),
        week: rows.get(key(c.company, weekStart(target, input.config.weekStartIndex), 'week')),
        isLow: alertTitles.has(lowUtilizationTitle(c.company)),
      },
      runUrls.get(c.company),
    ),
  );
  // Duplicate-init, or a low-utilisation alert of a company not listed, gets a section of its own.
  const other = input.alerts.filter((a) => !folded.has(a.title));
  const intro: Block[] = [
    ...outlookBlocks(input.outlook, runUrls),
    ...statementBlocks(input.statements),
    context(
      `${companies.length} ${companies.length === 1 ? 'company' : 'companies'} with nodes on ${target} · ` +
        `week from ${weekStart(target, input.config.weekStartIndex)} · change against ${addDays(target, -1)}`,
    ),
    ...alertBlocks(other),
    ...linkBlocks(input.links, names),
    DIVIDER,
  ];
  const sections = packLines(lines).map(section);
  return splitMessages(target, intro, sections, companies.length, input.alerts.length);
}

type CompanyDay = {
  readonly company: string;
  readonly nodes: number;
  readonly day: UsageRow | undefined;
  readonly previous: UsageRow | undefined;
  readonly week: UsageRow | undefined;
  readonly isLow: boolean;
};

function key(company: string, period: string, kind: 'day' | 'week' = 'day'): string {
  return `${kind}\u0000${company}\u0000${period}`;
}

function indexRows(daily: readonly UsageRow[], weekly: readonly UsageRow[]): Map<string, UsageRow> {
  const rows = new Map<string, UsageRow>();
  for (const row of daily) rows.set(key(row.company, row.period ?? ''), row);
  for (const row of weekly) rows.set(key(row.company, row.period ?? '', 'week'), row);
  return rows;
}

const dec1 = (value: number): string => formatCell(value, 'dec1');

/** A change shown with its sign; the difference of two 1-decimal values, rounded again to drop float noise. */
function signed(value: number): string {
  const rounded = roundHalfUp(value, 1);
  if (rounded === 0) return '±0.0';
  return rounded > 0 ? `+${dec1(rounded)}` : dec1(rounded);
}

/**
 * `*name* · 2 nodes · day 230.4 GPU h (+12.0) · 60.0% (+3.1 pt) · week 1000.0 GPU h · 52.1%`, with
 * `(new)` when there is no row for T-1 and a warning mark when the company has a low-utilisation alert.
 */
function companyLine(day: CompanyDay, runUrl: string | undefined): string {
  const nodes = `${day.nodes} ${day.nodes === 1 ? 'node' : 'nodes'}`;
  let usage: string;
  if (!day.day) usage = 'day: no row';
  else if (!day.previous)
    usage = `day ${dec1(day.day.totalGpuHour)} GPU h · ${dec1(day.day.utilization)}% (new)`;
  else
    usage =
      `day ${dec1(day.day.totalGpuHour)} GPU h (${signed(day.day.totalGpuHour - day.previous.totalGpuHour)}) · ` +
      `${dec1(day.day.utilization)}% (${signed(day.day.utilization - day.previous.utilization)} pt)`;
  const week = day.week
    ? `week ${dec1(day.week.totalGpuHour)} GPU h · ${dec1(day.week.utilization)}%`
    : 'week: no row';
  const mark = day.isLow ? ' · :warning: low utilisation' : '';
  const rest = ` · ${nodes} · ${usage} · ${week}${mark}`;
  const linked =
    runUrl === undefined ? undefined : `*${mrkdwnLink(runUrl, day.company, NAME_MAX_CHARS)}*${rest}`;
  // A run URL too long to fit would cut the line: the name is then shown without its link.
  return linked !== undefined && linked.length <= MAX_TEXT_CHARS
    ? linked
    : `*${escapeMrkdwnWithin(day.company, NAME_MAX_CHARS)}*${rest}`;
}

/**
 * The outlook first: a count per status, then one line per company at risk with its projection, pace
 * and idle GPU-hours (its name linking its run), as many as fit in one text.
 */
function outlookBlocks(
  outlook: readonly OutlookLead[] | undefined,
  runUrls: ReadonlyMap<string, string>,
): Block[] {
  if (outlook === undefined || outlook.length === 0) return [];
  const count = (status: string) => outlook.filter((o) => o.status === status).length;
  const month = outlook[0]!.month;
  const head = `*Allocation outlook for ${escapeMrkdwn(month)}:* ${count('at risk')} at risk · ${count('on track')} on track · ${count('not started')} not started`;
  const lines = outlook
    .filter((o) => o.status === 'at risk')
    .map((o) => {
      const url = runUrls.get(o.company);
      const name =
        url === undefined
          ? escapeMrkdwnWithin(o.company, NAME_MAX_CHARS)
          : mrkdwnLink(url, o.company, NAME_MAX_CHARS);
      return `:warning: *${name}* — ${escapeMrkdwn(outlookSentence(o))}`;
    })
    .filter((line) => line.length <= MAX_TEXT_CHARS / 2);
  const more = (n: number) => `… and ${n} more at risk (see the page)`;
  return [section(joinWithin([head, ...lines], MAX_TEXT_CHARS, more))];
}

/** At a month's end, a link to each company's statement (its run). */
function statementBlocks(statements: DigestInput['statements']): Block[] {
  if (!statements || statements.length === 0) return [];
  const items = statements
    .map((s) => mrkdwnLink(s.url, s.company, NAME_MAX_CHARS))
    .filter((item) => item.length <= MAX_TEXT_CHARS / 2);
  const more = (n: number) => `… and ${n} more`;
  return [context(`Month-end statements: ${joinWithin(items, MAX_TEXT_CHARS - 30, more, ' · ')}`)];
}

function alertBlocks(alerts: readonly Alert[]): Block[] {
  const blocks: Block[] = alerts
    .slice(0, MAX_ALERT_SECTIONS)
    .map((alert) => section(alertMrkdwn(alert, `${SEVERITY_EMOJI[alert.severity]} `)));
  const hidden = alerts.length - MAX_ALERT_SECTIONS;
  if (hidden > 0)
    blocks.push(
      context(`… and ${hidden} more ${hidden === 1 ? 'alert' : 'alerts'} (see ${escapeMrkdwn('W&B')})`),
    );
  return blocks;
}

/** The Report and the runs that are not a listed company's (overall), in one context line. */
function linkBlocks(links: DigestLinks, companies: ReadonlySet<string>): Block[] {
  const items = [
    ...(links.report ? [mrkdwnLink(links.report, 'W&B Report')] : []),
    ...links.runs.filter((r) => !companies.has(r.tag)).map((r) => mrkdwnLink(r.url, `${r.tag} run`)),
  ].filter((item) => item.length <= MAX_TEXT_CHARS / 2);
  if (items.length === 0) return [];
  const more = (n: number) => `… and ${n} more`;
  return [context(joinWithin(items, MAX_TEXT_CHARS, more, ' · '))];
}

/** Whole lines packed into texts of at most 3,000 characters. */
function packLines(lines: readonly string[]): string[] {
  const texts: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current && current.length + 1 + line.length > MAX_TEXT_CHARS) {
      texts.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) texts.push(current);
  return texts;
}

/** The first message carries the intro (alerts, links); every message has its own header. */
function splitMessages(
  target: IsoDate,
  intro: readonly Block[],
  sections: readonly Block[],
  companies: number,
  alerts: number,
): SlackMessage[] {
  const parts: Block[][] = [];
  let rest = [...sections];
  // One block for each message's header; the intro is at most 9 blocks.
  const firstRoom = MAX_BLOCKS - 1 - intro.length;
  parts.push([...intro, ...rest.slice(0, firstRoom)]);
  rest = rest.slice(firstRoom);
  while (rest.length > 0) {
    parts.push(rest.slice(0, MAX_BLOCKS - 1));
    rest = rest.slice(MAX_BLOCKS - 1);
  }
  const summary = `${companies} ${companies === 1 ? 'company' : 'companies'}, ${alerts} ${alerts === 1 ? 'alert' : 'alerts'}`;
  return parts.map((blocks, i) => {
    const part = parts.length > 1 ? ` (${i + 1}/${parts.length})` : '';
    return {
      text: `${DIGEST_TITLE} for ${target}${part}: ${summary}`,
      blocks: [header(`${DIGEST_TITLE} ${target}${part}`), ...blocks],
    };
  });
}
