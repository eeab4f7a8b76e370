// Loading the base version a night merges onto (docs/behaviour.md §14): the rows of the months it works
// on, and the others' sums files, read through W&B; the new version itself is planned in night-version.ts.
import pLimit from 'p-limit';
import { ignoreTagMatcher } from '../calculator/index.js';
import type { Logger } from '../shared/logger.js';
import type { RunDay } from '../shared/run-day.js';
import { monthFilePath, sumsFilePath } from './dataset-target.js';
import type { Dataset, OpenedDataset } from './dataset-version.js';
import { compareDatasetOrder } from './merge-dataset.js';
import { decodeMonthSums, ignoreTagsKey, sumsMatch } from './month-sums-file.js';
import {
  type BaseMonth,
  byMonth,
  type LoadedBase,
  type MonthsContext,
  type PlannedVersion,
  sumsOf,
} from './night-version.js';

export type NightContext = MonthsContext & { readonly log: Logger };

/** Months whose sums are recomputed from rows at once: each holds one month's rows (docs/behaviour.md §14). */
const RECOMPUTE_CONCURRENCY = 2;

/**
 * Loads a base version: the rows of the `wanted` months, and for every other month the sums file kept
 * beside it (or, when that is missing or stale, sums computed from the month's rows, which are then let
 * go). A base in the single-file layout is read whole, once: every month of it is written anew.
 */
export async function loadBase(
  opened: OpenedDataset | undefined,
  wanted: ReadonlySet<string>,
  ctx: NightContext,
): Promise<LoadedBase> {
  if (!opened) return { opened, extras: undefined, months: new Map() };
  if (opened.months === undefined) {
    const whole = await opened.read();
    const months = new Map<string, BaseMonth>();
    for (const [month, rows] of byMonth(whole.rows))
      months.set(month, { entry: undefined, rows, sums: undefined });
    return { opened, extras: whole.extras, months };
  }
  const ignoreTags = ignoreTagsKey(ctx.ignoreTags);
  const isIgnored = ignoreTagMatcher(ctx.ignoreTags);
  const entries = new Map(opened.entries.map((e) => [e.path, e]));
  let extras: readonly string[] | undefined;
  const recompute = pLimit(RECOMPUTE_CONCURRENCY);
  const loaded = await Promise.all(
    opened.months.map(async (month): Promise<[string, BaseMonth]> => {
      const entry = entries.get(monthFilePath(ctx.target, month))!;
      const sumsEntry = entries.get(sumsFilePath(ctx.target, month));
      const decoded = sumsEntry && decodeMonthSums((await opened.readText(sumsEntry.path)) ?? '');
      const sums =
        sumsEntry && decoded && sumsMatch(decoded.source, entry.digest, ignoreTags)
          ? { sums: decoded.sums, file: sumsEntry }
          : undefined;
      if (sums) extras ??= decoded?.source.extras;
      if (wanted.has(month)) {
        const read = await opened.read([month]);
        extras ??= read.extras;
        return [month, { entry, rows: read.rows, sums }];
      }
      if (sums) return [month, { entry, rows: undefined, sums }];
      return recompute(async () => {
        ctx.log.info('uploader.sums_recomputed', {
          month,
          reason: sumsEntry === undefined ? 'missing' : decoded === undefined ? 'unreadable' : 'stale',
        });
        const read = await opened.read([month]);
        extras ??= read.extras;
        // The sums now, the rows let go: a night that recomputes every month holds two months of rows at most.
        return [
          month,
          { entry, rows: undefined, sums: { sums: sumsOf(month, read.rows, isIgnored), file: undefined } },
        ];
      });
    }),
  );
  return { opened, extras, months: new Map(loaded) };
}

/** Every row of a planned version, in the dataset's order (`run --out`): reads the months the night did not. */
export async function readVersionRows(
  version: PlannedVersion,
  opened: OpenedDataset | undefined,
): Promise<Dataset> {
  const rows: RunDay[] = [];
  for (const month of version.months) {
    const monthRows = month.rows ?? (opened ? (await opened.read([month.month])).rows : []);
    for (const row of monthRows) rows.push(row);
  }
  return { rows: rows.sort(compareDatasetOrder), extras: version.extras };
}
