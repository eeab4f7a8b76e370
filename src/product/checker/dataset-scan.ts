import { type IntervalRun, intervalRunOf } from '../alert/duplicate-init.js';
import { calculateTables, ignoreTagMatcher, runKey, teamIndex, type UsageRow } from '../calculator/index.js';
import type { Config } from '../config/types.js';
import { nodesOn } from '../shared/calendar.js';
import { addDays, type IsoDate } from '../shared/dates.js';
import { isDeleted, type RunDay } from '../shared/run-day.js';

/** Days of the duplicate-init look-back, T included (docs/behaviour.md §8). */
export const DUPLICATE_WINDOW_DAYS = 7;

/** What the anomaly and duplicate-init checks need from the dataset, gathered in one pass. */
export type DatasetScan = {
  /** The daily table's rows (every company's grid days up to T). */
  readonly daily: readonly UsageRow[];
  /** company → dataset rows of its teams dated T (deleted rows left out, ignore-tagged kept). */
  readonly rowsOnTarget: ReadonlyMap<string, number>;
  /**
   * company → counted runs on T with time but no GPU metrics on any of their days, as
   * `project/run_id` (a run that crosses midnight into T by seconds has no sample on T, yet has metrics).
   */
  readonly noMetricsRuns: ReadonlyMap<string, readonly string[]>;
  /** company → runs on T with more GPUs than the company was allocated on T, as `project/run_id`. */
  readonly overAllocatedRuns: ReadonlyMap<string, readonly string[]>;
  /** Runs of known teams with a row in the last 7 days, for duplicate-init grouping. */
  readonly recentRuns: readonly IntervalRun[];
};

export function scanDataset(
  rows: readonly RunDay[],
  config: Config,
  target: IsoDate,
  /** Runs (runKey) known to have had metrics on days not among `rows`. */
  metricsElsewhere: ReadonlySet<string> = new Set(),
): DatasetScan {
  const companyOf = teamIndex(config.companies);
  const isIgnored = ignoreTagMatcher(config.ignore_tags);
  const windowStart = addDays(target, 1 - DUPLICATE_WINDOW_DAYS);
  const rowsOnTarget = new Map<string, number>();
  const noMetrics = new Map<string, Map<string, string>>();
  const withMetrics = new Set<string>();
  const overAllocated = new Map<string, Set<string>>();
  const allocatedGpus = new Map(
    config.companies.map((c) => [c.company, nodesOn(c, target) * config.gpus_per_node] as const),
  );
  const recent = new Map<string, IntervalRun>();
  for (const row of rows) {
    const company = companyOf.get(row.company_name);
    if (company === undefined || isDeleted(row)) continue;
    if (row.average_gpu_utilization !== null) withMetrics.add(runKey(row));
    if (row.date === target) {
      rowsOnTarget.set(company, (rowsOnTarget.get(company) ?? 0) + 1);
      const allocated = allocatedGpus.get(company) ?? 0;
      if (allocated > 0 && row.gpu_count !== null && row.gpu_count > allocated) {
        const runs = overAllocated.get(company) ?? new Set<string>();
        runs.add(`${row.project}/${row.run_id}`);
        overAllocated.set(company, runs);
      }
      if (!isIgnored(row.tags) && row.duration_hour > 0 && row.average_gpu_utilization === null) {
        const runs = noMetrics.get(company) ?? new Map<string, string>();
        runs.set(runKey(row), `${row.project}/${row.run_id}`);
        noMetrics.set(company, runs);
      }
    }
    if (row.date >= windowStart && row.date <= target) {
      const key = runKey(row);
      if (!recent.has(key)) recent.set(key, intervalRunOf(row, config.timezone));
    }
  }
  return {
    daily: calculateTables(rows, config, target).usage.daily,
    rowsOnTarget,
    noMetricsRuns: new Map(
      [...noMetrics]
        .map(
          ([c, runs]) =>
            [
              c,
              [...runs]
                .filter(([key]) => !withMetrics.has(key) && !metricsElsewhere.has(key))
                .map(([, name]) => name)
                .sort(),
            ] as const,
        )
        .filter(([, runs]) => runs.length > 0),
    ),
    overAllocatedRuns: new Map([...overAllocated].map(([c, runs]) => [c, [...runs].sort()] as const)),
    recentRuns: [...recent.values()],
  };
}
