import type { Alert } from '../alert/types.js';
import { type CalculatorResult, overallTables, tableJson } from '../calculator/index.js';
import type { Config } from '../config/types.js';
import { MONTHLY_TABLE, OUTLOOK_TABLE, type OutlookLead, outlookLead } from '../report/outlook-lead.js';
import { atRiskFirst, reportOutlook } from '../report/report-outlook.js';
import { appUrlOf, runUrl } from '../report/report-url.js';
import { buildDigest } from '../report/slack-digest.js';
import { buildReportSpec } from '../report/wandb-report-spec.js';
import { companiesWithNodesOn } from '../shared/calendar.js';
import type { IsoDate } from '../shared/dates.js';
import type { Logger } from '../shared/logger.js';
import { sendDigest } from '../shared/slack-post.js';
import type { WandbClient } from '../wandb/client.js';
import { publishReport } from './report.js';
import type { PublishedRun } from './tables.js';

export type DashboardInput = {
  readonly config: Config;
  /** The job's T and its tables. */
  readonly result: CalculatorResult;
  /** The newest `Tables_<T>` date holding `latest` after the job. */
  readonly newest: IsoDate;
  readonly published: readonly PublishedRun[];
  readonly alerts: readonly Alert[];
  /** W&B's API base URL: links use the app URL derived from it. */
  readonly baseUrl: string;
  readonly slackWebhookUrl: string | undefined;
};

export type DashboardOutcome = {
  /** The W&B Report the job keeps; null when not kept (turned off, or a newer job keeps it). */
  readonly report: { readonly id: string; readonly url: string } | null;
  readonly digest: { readonly messages: number; readonly sent: number; readonly failed: number };
};

/**
 * Where the dashboard reaches people after the Tables are published: the W&B Report (created or updated
 * in place) when this job's runs show the newest date, and the Slack digest when its T is the newest.
 * A Report that cannot be saved is logged as an error (the health check reports error lines) and the job
 * goes on: the Tables and pages are already published. A Slack failure is logged and counted.
 */
export async function publishDashboard(
  input: DashboardInput,
  deps: { wandb: WandbClient; log: Logger; fetch?: typeof fetch },
): Promise<DashboardOutcome> {
  const { config, newest } = input;
  const { entity, project } = config.dashboard;
  const target = input.result.target;
  const showsNewest = input.published.some((p) => p.target === newest && p.latest);
  const app = appUrlOf(input.baseUrl);
  const urlOf = (runId: string) => runUrl(app, entity, project, runId);
  // The outlook this job computed is the newest date's only when its T is the newest (not a backfill).
  const leads = newest === target ? outlookOf(input.result) : undefined;
  const report =
    config.report.wandb_report && showsNewest ? await keepReport(input, leads, urlOf, deps) : null;
  const digest = { messages: 0, sent: 0, failed: 0 };
  if (input.slackWebhookUrl && config.report.slack_digest && newest === target) {
    const stated = new Set(input.result.statements.map((s) => s.company));
    const messages = buildDigest({
      target,
      config,
      daily: input.result.usage.daily,
      weekly: input.result.usage.weekly,
      alerts: input.alerts,
      links: {
        report: report?.url,
        runs: input.published
          .filter((p) => p.target === target && p.latest)
          .map((p) => ({ tag: p.tag, url: urlOf(p.runId) })),
      },
      outlook: leads,
      statements: input.published
        .filter((p) => p.target === target && stated.has(p.tag))
        .map((p) => ({ company: p.tag, url: urlOf(p.runId) })),
    });
    const sent = await sendDigest(messages, input.slackWebhookUrl, {
      log: deps.log,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
    Object.assign(digest, { messages: messages.length, ...sent });
  }
  return { report, digest };
}

/**
 * The outlook as the overall run's Tables hold it (the same reading as the page's): its two Tables as
 * their files hold them.
 */
function outlookOf(result: CalculatorResult): OutlookLead[] | undefined {
  const overall = overallTables(result);
  const tables = Object.fromEntries(
    [OUTLOOK_TABLE, MONTHLY_TABLE].map((key) => {
      const { columns, data } = tableJson(overall[key]!);
      return [key, { columns, rows: data }];
    }),
  );
  return outlookLead(tables);
}

async function keepReport(
  input: DashboardInput,
  leads: readonly OutlookLead[] | undefined,
  urlOf: (runId: string) => string,
  deps: { wandb: WandbClient; log: Logger },
): Promise<DashboardOutcome['report']> {
  const { config, newest } = input;
  const { entity, project, report_title: title, tag_for_latest: latestTag } = config.dashboard;
  const runs = new Map(
    input.published
      .filter((p) => p.target === newest && p.latest)
      .map((p) => [p.tag, urlOf(p.runId)] as const),
  );
  const outlook = reportOutlook(leads, (company) => runs.get(company));
  const companies = atRiskFirst(companiesWithNodesOn(config, newest), leads);
  const spec = buildReportSpec({ title, target: newest, entity, project, latestTag, companies, outlook });
  try {
    const { id, url } = await publishReport(deps.wandb, {
      baseUrl: input.baseUrl,
      entity,
      project,
      title,
      spec,
      log: deps.log,
    });
    deps.log.info('report.url', { url });
    return { id, url };
  } catch (error) {
    deps.log.error('report.failed', { entity, project, title, error });
    return null;
  }
}
