import type { UsageRow } from '../calculator/index.js';
import type { Config } from '../config/types.js';
import { companiesWithNodesOn } from '../shared/calendar.js';
import { compareCodePoints } from '../shared/compare.js';
import { addDays, type IsoDate } from '../shared/dates.js';
import type { DatasetScan } from './dataset-scan.js';
import type { Finding } from './types.js';

/** Trailing days compared against T, and how many of them must be allocation days for a median. */
export const TRAILING_DAYS = 7;
const MIN_TRAILING_DAYS = 3;

/**
 * Anomalies on T for each company with nodes on T (docs/behaviour.md §8). A company with no rows on T gets
 * only `no_rows` (its 0 % utilisation says nothing more).
 */
export function anomalyFindings(scan: DatasetScan, config: Config, target: IsoDate): Finding[] {
  const threshold = config.alerts.low_utilization_percent;
  const daily = new Map<string, Map<string, UsageRow>>();
  for (const row of scan.daily) {
    const byDay = daily.get(row.company) ?? new Map<string, UsageRow>();
    if (row.period !== undefined) byDay.set(row.period, row);
    daily.set(row.company, byDay);
  }
  const findings: Finding[] = [];
  const active = companiesWithNodesOn(config, target).sort(compareCodePoints);
  for (const company of active) {
    const at = (kind: string, message: string, details?: Record<string, unknown>): void => {
      findings.push({ check: 'anomalies', kind, subject: company, message, ...(details ? { details } : {}) });
    };
    const days = daily.get(company);
    const today = days?.get(target);
    if (!scan.rowsOnTarget.get(company) || !today) {
      at('no_rows', `${company}: has nodes on ${target} but no rows in the dataset`);
      continue;
    }
    if (today.utilization < threshold) {
      at(
        'low_utilization',
        `${company}: GPU utilisation ${today.utilization.toFixed(1)}% on ${target} is below ${threshold}%`,
        { utilization: today.utilization, threshold },
      );
    }
    if (today.rawTotalGpuHour > today.assignedGpuHour) {
      at(
        'over_allocation',
        `${company}: ${today.rawTotalGpuHour.toFixed(1)} GPU hours used on ${target}, above the ${today.assignedGpuHour} allocated`,
        { total_gpu_hour: today.rawTotalGpuHour, assigned_gpu_hour: today.assignedGpuHour },
      );
    }
    const overAllocated = scan.overAllocatedRuns.get(company) ?? [];
    if (overAllocated.length > 0) {
      const allocated = today.assignedGpuNode * config.gpus_per_node;
      at(
        'run_over_allocation',
        `${company}: ${overAllocated.length} run(s) on ${target} use more than the ${allocated} GPUs allocated: ${overAllocated.join(', ')}`,
        { runs: overAllocated, allocated_gpus: allocated },
      );
    }
    const noMetrics = scan.noMetricsRuns.get(company) ?? [];
    if (noMetrics.length > 0) {
      at(
        'no_metrics',
        `${company}: ${noMetrics.length} run(s) on ${target} without GPU metrics: ${noMetrics.join(', ')}`,
        {
          runs: noMetrics,
        },
      );
    }
    const trailing: number[] = [];
    for (let back = 1; back <= TRAILING_DAYS; back++) {
      const row = days?.get(addDays(target, -back));
      if (row) trailing.push(row.utilization);
    }
    if (trailing.length >= MIN_TRAILING_DAYS) {
      const typical = median(trailing);
      if (today.utilization < typical / 2) {
        at(
          'utilization_drop',
          `${company}: GPU utilisation ${today.utilization.toFixed(1)}% on ${target} is under half its trailing ${TRAILING_DAYS}-day median ${typical.toFixed(1)}%`,
          { utilization: today.utilization, median: typical, days: trailing.length },
        );
      }
    }
  }
  return findings;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
