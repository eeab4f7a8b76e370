// The sums file kept beside each month file of the dataset (docs/behaviour.md §14): the month's §6
// sums per team and day, and what they were computed from. It is a cache: a reader uses it only
// when it names the month file's current bytes and the config's ignore tags, and otherwise
// computes the sums again from the month's rows, so a stale or damaged one costs time, never a number.
import type { MonthRun, MonthSums, TeamDay } from '../calculator/index.js';

// Bumped when a day gains a field: files of an older format then read as unreadable and are
// computed again once from their month's rows (2: busy and unmeasured GPU-hours, §13).
const FORMAT = 'gpu-dashboard month sums 2';

/** What a sums file depends on besides its month's rows. */
export type SumsSource = {
  /** The month file's MD5 (base64), as in the manifest. */
  readonly digest: string;
  /** The ignore tags the sums were taken with, as `ignoreTagsKey` gives them. */
  readonly ignoreTags: readonly string[];
  /** The dataset's extra columns (the month files' header past the known columns). */
  readonly extras: readonly string[];
};

/** Ignore tags compare case-insensitively: one spelling of a set of them. */
export function ignoreTagsKey(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.toLowerCase()))].sort();
}

/** The file's text: runs grouped by team and project, days as arrays (about a tenth of the month file). */
export function encodeMonthSums(sums: MonthSums, source: SumsSource): string {
  const runs: [string, string, string[]][] = [];
  for (const run of sums.runs) {
    const group = runs[runs.length - 1];
    if (group && group[0] === run.team && group[1] === run.project) group[2].push(run.runId);
    else runs.push([run.team, run.project, [run.runId]]);
  }
  const days = sums.days.map((d) => DAY_FIELDS.map((field) => d[field]));
  // JSON numbers carry doubles exactly (the shortest text that reads back as the same double).
  return JSON.stringify({
    format: FORMAT,
    month: sums.month,
    source: source.digest,
    ignore_tags: source.ignoreTags,
    extras: source.extras,
    rows: sums.rows,
    runs,
    days,
  });
}

export type DecodedSums = { readonly sums: MonthSums; readonly source: SumsSource };

/**
 * The file read back; undefined when it is not one this build writes (damaged, or another format). Checked
 * by hand, not by a schema library: a night reads one per month of the history, and the runs' lists are
 * long (a schema walk cost more than the parse itself).
 */
export function decodeMonthSums(text: string): DecodedSums | undefined {
  let file: Record<string, unknown>;
  try {
    file = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (file === null || typeof file !== 'object' || file.format !== FORMAT) return undefined;
  const { month, source, ignore_tags: ignoreTags, extras, rows } = file;
  if (typeof month !== 'string' || !/^\d{4}-\d{2}$/.test(month) || typeof source !== 'string')
    return undefined;
  if (!isStrings(ignoreTags) || !isStrings(extras) || !isCount(rows)) return undefined;
  const runs = decodeRuns(file.runs);
  const days = runs && decodeDays(file.days, runs.length);
  if (!runs || !days) return undefined;
  return { sums: { month, rows, runs, days }, source: { digest: source, ignoreTags, extras } };
}

function decodeRuns(value: unknown): MonthRun[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const runs: MonthRun[] = [];
  for (const group of value) {
    if (!Array.isArray(group) || group.length !== 3) return undefined;
    const [team, project, ids] = group as unknown[];
    if (typeof team !== 'string' || typeof project !== 'string' || !isStrings(ids)) return undefined;
    for (const runId of ids) runs.push({ team, project, runId });
  }
  return runs;
}

/** A day's fields in the order the file's arrays hold them. */
const DAY_FIELDS = [
  'team',
  'date',
  'rows',
  'deleted',
  'ignored',
  'gpuHours',
  'metricsHours',
  'sumUtil',
  'sumMem',
  'busyHours',
  'unmeasuredHours',
  'maxUtil',
  'maxMem',
  'runs',
] as const satisfies readonly (keyof TeamDay)[];

function decodeDays(value: unknown, runCount: number): TeamDay[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const days: TeamDay[] = [];
  for (const array of value) {
    if (!Array.isArray(array) || array.length !== DAY_FIELDS.length) return undefined;
    const day = Object.fromEntries(DAY_FIELDS.map((field, i) => [field, array[i]])) as Record<
      (typeof DAY_FIELDS)[number],
      unknown
    >;
    if (typeof day.team !== 'string' || typeof day.date !== 'string') return undefined;
    if (![day.rows, day.deleted, day.ignored].every(isCount)) return undefined;
    const sums = [
      day.gpuHours,
      day.metricsHours,
      day.sumUtil,
      day.sumMem,
      day.busyHours,
      day.unmeasuredHours,
    ];
    if (!sums.every(isFiniteNumber)) return undefined;
    if (!isNullableNumber(day.maxUtil) || !isNullableNumber(day.maxMem)) return undefined;
    if (!Array.isArray(day.runs) || !day.runs.every((r) => isCount(r) && r < runCount)) return undefined;
    days.push(day as TeamDay);
  }
  return days;
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNullableNumber = (v: unknown): v is number | null => v === null || isFiniteNumber(v);

/** Whether decoded sums are those of this month file under this config's ignore tags. */
export function sumsMatch(source: SumsSource, digest: string, ignoreTags: readonly string[]): boolean {
  return source.digest === digest && source.ignoreTags.join('\u0000') === ignoreTags.join('\u0000');
}
