// The sums file kept beside each month file of the dataset (docs/behaviour.md §14): the month's §6
// sums per team and day, and what they were computed from. It is a cache: a reader uses it only
// when it names the month file's current bytes and the config's ignore tags, and otherwise
// computes the sums again from the month's rows, so a stale or damaged one costs time, never a number.
import { z } from 'zod';
import type { MonthRun, MonthSums, TeamDay } from '../calculator/month-sums.js';

const FORMAT = 'gpu-dashboard month sums 1';

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

const nullableNumber = z.number().nullable();
const sumsFileSchema = z.object({
  format: z.literal(FORMAT),
  month: z.string().regex(/^\d{4}-\d{2}$/),
  source: z.string(),
  ignore_tags: z.array(z.string()),
  extras: z.array(z.string()),
  rows: z.number().int().nonnegative(),
  runs: z.array(z.tuple([z.string(), z.string(), z.array(z.string())])),
  days: z.array(
    z.tuple([
      z.string(),
      z.string(),
      z.number(),
      z.number(),
      z.number(),
      z.number(),
      z.number(),
      z.number(),
      z.number(),
      nullableNumber,
      nullableNumber,
      z.array(z.number().int().nonnegative()),
    ]),
  ),
});

/** The file's text: runs grouped by team and project, days as arrays (about a tenth of the month file). */
export function encodeMonthSums(sums: MonthSums, source: SumsSource): string {
  const runs: [string, string, string[]][] = [];
  for (const run of sums.runs) {
    const group = runs[runs.length - 1];
    if (group && group[0] === run.team && group[1] === run.project) group[2].push(run.runId);
    else runs.push([run.team, run.project, [run.runId]]);
  }
  const days = sums.days.map((d) => [
    d.team,
    d.date,
    d.rows,
    d.deleted,
    d.ignored,
    d.gpuHours,
    d.metricsHours,
    d.sumUtil,
    d.sumMem,
    d.maxUtil,
    d.maxMem,
    d.runs,
  ]);
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

/** The file read back; undefined when it is not one this build writes (damaged, or another format). */
export function decodeMonthSums(text: string): DecodedSums | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = sumsFileSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const file = parsed.data;
  const runs: MonthRun[] = file.runs.flatMap(([team, project, ids]) =>
    ids.map((runId) => ({ team, project, runId })),
  );
  const days: TeamDay[] = [];
  for (const [
    team,
    date,
    rows,
    deleted,
    ignored,
    gpuHours,
    metricsHours,
    sumUtil,
    sumMem,
    maxUtil,
    maxMem,
    refs,
  ] of file.days) {
    if (refs.some((r) => r >= runs.length)) return undefined;
    days.push({
      team,
      date,
      rows,
      deleted,
      ignored,
      gpuHours,
      metricsHours,
      sumUtil,
      sumMem,
      maxUtil,
      maxMem,
      runs: refs,
    });
  }
  return {
    sums: { month: file.month, rows: file.rows, runs, days },
    source: { digest: file.source, ignoreTags: file.ignore_tags, extras: file.extras },
  };
}

/** Whether decoded sums are those of this month file under this config's ignore tags. */
export function sumsMatch(source: SumsSource, digest: string, ignoreTags: readonly string[]): boolean {
  return source.digest === digest && source.ignoreTags.join('\u0000') === ignoreTags.join('\u0000');
}
