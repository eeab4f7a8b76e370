import type { IsoDate } from '../shared/dates.js';
import { LOG_EVENTS } from '../shared/names.js';
import type { Finding } from './types.js';

/** One event of the job's log group: epoch ms and the line the job wrote (a JSON object). */
export type LogEvent = { readonly timestamp: number; readonly message: string };

/**
 * Reads the job's log. Plain-term patterns and time bounds only: moto ignores JSON filter patterns
 * and real CloudWatch agrees on plain terms, so the lines are parsed here, not in the query.
 */
export type JobLogSource = {
  readonly name: string;
  events(term: string, startMs: number, endMs: number): Promise<LogEvent[]>;
};

const COMPLETED_EVENT = LOG_EVENTS.completed;
/** T's completion must be this recent (docs/behaviour.md §8). */
const COMPLETION_WINDOW_MS = 36 * 3600_000;
/** How far back the completion before T's is looked for, to count the errors since it. */
const PREVIOUS_COMPLETION_LOOKBACK_MS = 7 * 24 * 3600_000;
const ERROR_SAMPLES = 5;

type Parsed = { timestamp: number; fields: Record<string, unknown> };

function parseLine(event: LogEvent): Parsed | undefined {
  try {
    const fields: unknown = JSON.parse(event.message);
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return undefined;
    return { timestamp: event.timestamp, fields: fields as Record<string, unknown> };
  } catch {
    return undefined; // not one of the job's JSON lines (e.g. a crash trace); ignored
  }
}

/**
 * The job-log check (docs/behaviour.md §8) from the `pipeline.completed` and error-looking events of the last
 * days: a real (not dry-run) completion for T within 36 hours of now, and the job's error events
 * since the completion before it (or within the 36 hours when there is none).
 */
export function jobLogFindings(
  completedEvents: readonly LogEvent[],
  errorEvents: readonly LogEvent[],
  target: IsoDate,
  nowMs: number,
  logGroup: string,
): Finding[] {
  const completions = completedEvents
    .map(parseLine)
    .filter((e): e is Parsed => e?.fields.event === COMPLETED_EVENT && e.fields.dry_run !== true)
    .sort((a, b) => a.timestamp - b.timestamp);
  const findings: Finding[] = [];
  const windowStart = nowMs - COMPLETION_WINDOW_MS;
  const ofTarget = completions
    .filter((e) => e.fields.target_date === target && e.timestamp >= windowStart)
    .at(-1);
  if (!ofTarget) {
    findings.push({
      check: 'job_log',
      kind: 'no_completion',
      message: `no ${COMPLETED_EVENT} event for ${target} in ${logGroup} in the last 36 hours`,
    });
  }
  const before = ofTarget?.timestamp ?? nowMs;
  const previous = completions.filter((e) => e.timestamp < before).at(-1);
  const since = previous?.timestamp ?? windowStart;
  const errors = errorEvents
    .map(parseLine)
    .filter((e): e is Parsed => e !== undefined && e.fields.level === 'error' && e.timestamp > since)
    .sort((a, b) => a.timestamp - b.timestamp);
  if (errors.length > 0) {
    const samples = errors.slice(0, ERROR_SAMPLES).map((e) => String(e.fields.event ?? '?'));
    findings.push({
      check: 'job_log',
      kind: 'errors',
      message: `${errors.length} error event(s) in ${logGroup} since ${new Date(since).toISOString()} (${samples.join(', ')})`,
      details: { count: errors.length, since: new Date(since).toISOString(), events: samples },
    });
  }
  return findings;
}

/** Reads what jobLogFindings needs from the source: two plain-term queries with time bounds. */
export async function readJobLog(
  source: JobLogSource,
  target: IsoDate,
  nowMs: number,
  logGroup: string,
): Promise<Finding[]> {
  const from = nowMs - PREVIOUS_COMPLETION_LOOKBACK_MS;
  const [completed, errors] = await Promise.all([
    source.events(`"${COMPLETED_EVENT}"`, from, nowMs),
    source.events('error', from, nowMs),
  ]);
  return jobLogFindings(completed, errors, target, nowMs, logGroup);
}
