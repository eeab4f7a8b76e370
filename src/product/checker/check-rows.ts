import { addDays, type IsoDate, monthOf } from '../shared/dates.js';
import type { RunDay } from '../shared/run-day.js';
import type { OpenedDataset } from '../uploader/dataset-version.js';
import { TRAILING_DAYS } from './anomalies.js';
import { DUPLICATE_WINDOW_DAYS } from './dataset-scan.js';

/** Days before T that any check looks at: the utilisation median's and duplicate-init's (docs/behaviour.md §8). */
const LOOKBACK_DAYS = Math.max(TRAILING_DAYS, DUPLICATE_WINDOW_DAYS);

/**
 * The rows `check` needs, not the whole history (docs/behaviour.md §14): the months of T and its trailing
 * week (the utilisation median and duplicate-init look back 7 days), and, for the runs on T that began
 * in an earlier month, the months back to their start (`no_metrics` asks whether any of a run's days had
 * metrics; a row's `created_at` is its run's local start). A single-file dataset is read whole.
 */
export async function readCheckRows(opened: OpenedDataset, target: IsoDate): Promise<RunDay[]> {
  const months = opened.months;
  if (months === undefined) return (await opened.read()).rows;
  const from = monthOf(addDays(target, -LOOKBACK_DAYS));
  const to = monthOf(target);
  const near = await opened.read(months.filter((m) => m >= from && m <= to));
  let earliest = from;
  for (const row of near.rows) {
    const started = row.created_at.slice(0, 7);
    if (row.date === target && started < earliest) earliest = started;
  }
  const earlier = months.filter((m) => m >= earliest && m < from);
  if (earlier.length === 0) return near.rows;
  return [...(await opened.read(earlier)).rows, ...near.rows];
}
