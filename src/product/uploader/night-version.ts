// The dataset version a night writes, month by month (docs/behaviour.md §14): the months its dates
// touch are read, merged and written again; every other month keeps its file and is known to the
// night only by its sums file, so the night's cost follows its own dates, not the history's length.
import { createMonthSumsBuilder, ignoreTagMatcher, type MonthSums } from '../calculator/index.js';
import type { ManifestEntry } from '../shared/artifact-manifest.js';
import { md5Base64 } from '../shared/hash.js';
import type { RunDay } from '../shared/run-day.js';
import { csvText, DatasetError, type DatasetTarget, monthFilePath, sumsFilePath } from './dataset-target.js';
import type { OpenedDataset } from './dataset-version.js';
import { mergeDataset } from './merge-dataset.js';
import { encodeMonthSums, ignoreTagsKey } from './month-sums-file.js';

/** A file of the new version: the base's, kept by its manifest entry, or new text. */
export type VersionFile = { readonly kept: ManifestEntry } | { readonly name: string; readonly body: string };

export type MonthVersion = {
  readonly month: string;
  readonly csv: VersionFile;
  /** The month file's MD5 (base64). */
  readonly digest: string;
  readonly sums: MonthSums;
  readonly sumsFile: VersionFile;
  /** The month's rows, when the night read or wrote them (the months it touched, and T's week). */
  readonly rows: readonly RunDay[] | undefined;
};

export type PlannedVersion = {
  readonly extras: readonly string[];
  /** Ascending. */
  readonly months: readonly MonthVersion[];
  readonly rowCount: number;
};

export type BaseMonth = {
  /** The month file's manifest entry; undefined for a month of the single-file layout (written anew). */
  readonly entry: ManifestEntry | undefined;
  readonly rows: RunDay[] | undefined;
  /**
   * The month's sums: read from a sums file that matches the month file (with that file's entry), or
   * computed from its rows (no file yet).
   */
  readonly sums: { readonly sums: MonthSums; readonly file: ManifestEntry | undefined } | undefined;
};

/** A base version as far as a night needs it: every month's sums, and the rows of the months it works on. */
export type LoadedBase = {
  readonly opened: OpenedDataset | undefined;
  readonly extras: readonly string[] | undefined;
  readonly months: ReadonlyMap<string, BaseMonth>;
};

/** What the month files depend on besides their rows. */
export type MonthsContext = {
  readonly target: DatasetTarget;
  readonly ignoreTags: readonly string[];
};

/**
 * The new version: each month in `upserts` merged onto the base's month (docs/behaviour.md §5: an upsert,
 * the later logged_at wins), the others kept. Files whose bytes equal the base's keep its entries.
 */
export function buildVersion(
  base: LoadedBase,
  upserts: ReadonlyMap<string, readonly RunDay[]>,
  ctx: MonthsContext,
): PlannedVersion {
  const extras = base.extras ?? [];
  const isIgnored = ignoreTagMatcher(ctx.ignoreTags);
  const ignoreTags = ignoreTagsKey(ctx.ignoreTags);
  const months = [...new Set([...base.months.keys(), ...upserts.keys()])].sort();
  const built = months.map((month): MonthVersion => {
    const prior = base.months.get(month);
    const fresh = upserts.get(month);
    if (prior?.entry !== undefined && fresh === undefined) {
      const sums = prior.sums?.sums ?? sumsOf(month, prior.rows, isIgnored);
      return {
        month,
        csv: { kept: prior.entry },
        digest: prior.entry.digest,
        sums,
        sumsFile: prior.sums?.file
          ? { kept: prior.sums.file }
          : newSumsFile(ctx.target, sums, { digest: prior.entry.digest, ignoreTags, extras }),
        rows: prior.rows,
      };
    }
    if (prior?.entry !== undefined && prior.rows === undefined) {
      throw new DatasetError('merge', `month ${month} was to be merged but was not read`);
    }
    const rows = merged(prior?.rows ?? [], extras, fresh ?? [], month);
    const body = csvText(extras, rows);
    const digest = md5Base64(body);
    const unchanged = prior?.entry !== undefined && prior.entry.digest === digest;
    const sums = unchanged && prior?.sums ? prior.sums.sums : sumsOf(month, rows, isIgnored);
    return {
      month,
      csv:
        unchanged && prior?.entry ? { kept: prior.entry } : { name: monthFilePath(ctx.target, month), body },
      digest,
      sums,
      sumsFile:
        unchanged && prior?.sums?.file
          ? { kept: prior.sums.file }
          : newSumsFile(ctx.target, sums, { digest, ignoreTags, extras }),
      rows,
    };
  });
  return { extras, months: built, rowCount: built.reduce((n, m) => n + m.sums.rows, 0) };
}

function merged(
  prior: readonly RunDay[],
  extras: readonly string[],
  fresh: readonly RunDay[],
  month: string,
) {
  const result = mergeDataset(prior, extras, fresh);
  if (result.rows.length < prior.length) {
    throw new DatasetError(
      'merge',
      `merged month ${month} (${result.rows.length} rows) is smaller than the prior (${prior.length})`,
    );
  }
  return result.rows;
}

export function sumsOf(
  month: string,
  rows: readonly RunDay[] | undefined,
  isIgnored: (t: readonly string[]) => boolean,
) {
  if (rows === undefined) throw new DatasetError('sums', `month ${month} has neither sums nor rows`);
  const builder = createMonthSumsBuilder(month, isIgnored);
  for (const row of rows) builder.add(row);
  return builder.finish();
}

function newSumsFile(
  target: DatasetTarget,
  sums: MonthSums,
  source: Parameters<typeof encodeMonthSums>[1],
): VersionFile {
  return { name: sumsFilePath(target, sums.month), body: encodeMonthSums(sums, source) };
}

/** The files to commit: each month's file and sums file; an empty dataset is its header alone, as one file. */
export function versionFiles(
  version: PlannedVersion,
  target: DatasetTarget,
): { files: { name: string; body: string }[]; reused: ManifestEntry[] } {
  if (version.months.length === 0)
    return { files: [{ name: target.file, body: csvText(version.extras, []) }], reused: [] };
  const files: { name: string; body: string }[] = [];
  const reused: ManifestEntry[] = [];
  for (const month of version.months) {
    for (const file of [month.csv, month.sumsFile]) {
      if ('kept' in file) reused.push(file.kept);
      else files.push(file);
    }
  }
  return { files, reused };
}

/** Rows grouped by the month of their date. */
export function byMonth(rows: readonly RunDay[]): Map<string, RunDay[]> {
  const months = new Map<string, RunDay[]>();
  for (const row of rows) {
    const month = row.date.slice(0, 7);
    const list = months.get(month);
    if (list) list.push(row);
    else months.set(month, [row]);
  }
  return months;
}

/** The months a night reads rows of: those its dates touch and those of T's week (the summary's rows). */
export function monthsOfDates(...ranges: readonly (readonly [string, string])[]): Set<string> {
  const months = new Set<string>();
  for (const [from, to] of ranges) {
    for (let m = from.slice(0, 7); m <= to.slice(0, 7); m = nextMonth(m)) months.add(m);
  }
  return months;
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
