import type { CalculatorResult } from '../calculator/index.js';
import type { DashboardOutcome } from '../publish/dashboard.js';
import type { PublishedRun } from '../publish/tables.js';
import type { IsoDate } from '../shared/dates.js';
import type { TrackerResult } from '../tracker/fetch-runs.js';

export type JobReport = {
  readonly target_date: IsoDate;
  readonly start_date: IsoDate;
  readonly dry_run: boolean;
  readonly logged_at: string;
  readonly tracker: {
    teams: number;
    projects: number;
    runs_counted: number;
    runs_skipped: Record<string, number>;
    /** Counted runs no GPU-count rule matched (kept, with an empty gpu_count). */
    runs_without_gpu_count: number;
    rows: number;
    /** Counted runs whose metrics W&B would not give (kept with empty metrics). */
    metrics_failed: TrackerResult['metricsFailed'];
    /** Counted runs with GPU samples outside [0, 100], dropped and counted by kind. */
    samples_dropped: TrackerResult['samplesDropped'];
    /** Run-days using more GPUs than the company was allocated that day (kept). */
    over_allocated: TrackerResult['overAllocated'];
  };
  readonly dataset: { rows: number; version: number | undefined; attempts: number };
  readonly calculator: CalculatorResult['counts'];
  readonly published: readonly PublishedRun[];
  /** The W&B Report the job keeps: its id and URL (null: dry run, turned off, or kept by a newer job). */
  readonly report: DashboardOutcome['report'];
  /** The Slack digest: messages built, posted, failed. */
  readonly digest: DashboardOutcome['digest'];
  readonly alerts: { planned: number; wandb: number; slack: number; slack_failed: number; titles: string[] };
  readonly requests: Readonly<Record<string, number>>;
};

export function countReasons(tracked: TrackerResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of tracked.skipped) counts[s.reason] = (counts[s.reason] ?? 0) + 1;
  return counts;
}
