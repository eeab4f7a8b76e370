import { runKey } from '../calculator/index.js';
import { addDays, type IsoDate, monthOf } from '../shared/dates.js';
import type { RunDay } from '../shared/run-day.js';
import type { OpenedDataset } from '../uploader/dataset-version.js';
import { compareDatasetOrder } from '../uploader/merge-dataset.js';
import { TRAILING_DAYS } from './anomalies.js';
import { DUPLICATE_WINDOW_DAYS } from './dataset-scan.js';

/** Days before T that any check looks at: the utilisation median's and duplicate-init's (docs/behaviour.md §8). */
const LOOKBACK_DAYS = Math.max(TRAILING_DAYS, DUPLICATE_WINDOW_DAYS);

/** What `check` reads of the dataset: the rows of its look-back, and which earlier runs had metrics. */
export type CheckRows = {
  /** Rows dated in [T - LOOKBACK_DAYS, T], in the dataset's order. */
  readonly rows: RunDay[];
  /** Runs (runKey) with GPU metrics on a day before the look-back: for `no_metrics` of runs on T. */
  readonly metricsBefore: ReadonlySet<string>;
};

/**
 * What `check` needs of the dataset, not the whole history (docs/behaviour.md §14): the rows of T and its
 * trailing week (the utilisation median and duplicate-init look back 7 days), kept; and, for the runs on T,
 * whether any of their earlier days had metrics (`no_metrics`), read from T's month back to the month the
 * earliest of them began (a row's `created_at` is its run's local start) and not kept. A single-file
 * dataset is read whole, the same way.
 */
export async function readCheckRows(opened: OpenedDataset, target: IsoDate): Promise<CheckRows> {
  const windowStart = addDays(target, -LOOKBACK_DAYS);
  const rows: RunDay[] = [];
  const withMetrics = new Set<string>();
  const keep = (row: RunDay): void => {
    if (row.date >= windowStart && row.date <= target) rows.push(row);
    else if (row.average_gpu_utilization !== null) withMetrics.add(runKey(row));
  };
  const months = opened.months;
  if (months === undefined) {
    await opened.scan([], keep);
    return sorted(rows, withMetrics);
  }
  const from = monthOf(windowStart);
  const to = monthOf(target);
  await opened.scan(
    months.filter((m) => m >= from && m <= to),
    keep,
  );
  let earliest = from;
  const onTarget = new Set<string>();
  for (const row of rows) {
    if (row.date !== target) continue;
    onTarget.add(runKey(row));
    const started = row.created_at.slice(0, 7);
    if (started < earliest) earliest = started;
  }
  const earlier = months.filter((m) => m >= earliest && m < from);
  await opened.scan(earlier, (row) => {
    if (row.average_gpu_utilization !== null && onTarget.has(runKey(row))) withMetrics.add(runKey(row));
  });
  return sorted(rows, withMetrics);
}

function sorted(rows: RunDay[], metricsBefore: Set<string>): CheckRows {
  return { rows: rows.sort(compareDatasetOrder), metricsBefore };
}
