import { header, joinWithin, MAX_TEXT_CHARS, type SlackMessage, section } from '../shared/block-kit.js';
import type { IsoDate } from '../shared/dates.js';
import { escapeMrkdwnWithin } from '../shared/inert-text.js';
import { CHECK_NAMES, type CheckName, type CheckStatus, type Finding } from './types.js';

export type FindingsMessageInput = {
  /** The health check's alert title, shown first in the header. */
  readonly title: string;
  readonly target: IsoDate;
  readonly checks: Readonly<Record<CheckName, CheckStatus>>;
  readonly findings: readonly Finding[];
};

/** A finding's message longer than this once escaped (W&B names in it) is cut; many fit in a section. */
const FINDING_MAX_CHARS = 500;
const STATUS_EMOJI: Record<CheckStatus, string> = {
  ok: ':white_check_mark:',
  findings: ':warning:',
  unreachable: ':x:',
};

/**
 * `check`'s findings as one Block Kit message: a header with T and the count, then a section per check
 * (in report order) listing its findings, cut with "… and N more" to stay within 3,000 characters.
 */
export function findingsMessage(input: FindingsMessageInput): SlackMessage {
  const count = input.findings.length;
  const verdict = count === 0 ? 'healthy' : `${count} ${count === 1 ? 'finding' : 'findings'}`;
  const sections = CHECK_NAMES.map((name) => {
    const own = input.findings.filter((f) => f.check === name);
    const status = input.checks[name];
    const heading = `${STATUS_EMOJI[status]} *${name}* · ${status}${own.length > 0 ? ` (${own.length})` : ''}`;
    const lines = own.map((f) => `• ${escapeMrkdwnWithin(f.message, FINDING_MAX_CHARS)}`);
    const more = (n: number) => `… and ${n} more (see check-report.json)`;
    return section(joinWithin([heading, ...lines], MAX_TEXT_CHARS, more));
  });
  return {
    text: `${input.title} for ${input.target}: ${verdict}`,
    blocks: [header(`${input.title} ${input.target}: ${verdict}`), ...sections],
  };
}
