import type { UsageRow } from '../calculator/index.js';
import type { IsoDate } from '../shared/dates.js';
import { alertTitle } from './title.js';
import type { Alert } from './types.js';

const LOW_UTILIZATION_KIND = 'Low utilization';

/** `Low utilization: <company>`: one title per company, so W&B never throttles one company's alert away. */
export function lowUtilizationTitle(company: string): string {
  return alertTitle(LOW_UTILIZATION_KIND, company);
}

export function isLowUtilizationTitle(title: string): boolean {
  return title.startsWith(`${LOW_UTILIZATION_KIND}: `);
}

/** One alert per company whose GPU稼働率(%) on T is below the threshold (docs/behaviour.md §8). */
export function lowUtilizationAlerts(
  daily: readonly UsageRow[],
  target: IsoDate,
  thresholdPercent: number,
): Alert[] {
  return daily
    .filter((row) => row.period === target && row.utilization < thresholdPercent)
    .map((row) => ({
      title: lowUtilizationTitle(row.company),
      text: `${row.company}: GPU utilization ${row.utilization.toFixed(1)}% on ${target} (below ${thresholdPercent}%; ${row.totalGpuHour.toFixed(1)} of ${row.assignedGpuHour} GPU hours)`,
      severity: 'WARN',
    }));
}
