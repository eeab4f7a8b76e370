import type { UsageRow } from '../calculator/periods.js';
import type { IsoDate } from '../shared/dates.js';
import type { Alert } from './types.js';

export const LOW_UTILIZATION_TITLE = 'Too low utilization rate found.';

/** One alert per company whose GPU稼働率(%) on T is below the threshold (SPEC §8). */
export function lowUtilizationAlerts(
  daily: readonly UsageRow[],
  target: IsoDate,
  thresholdPercent: number,
): Alert[] {
  return daily
    .filter((row) => row.period === target && row.utilization < thresholdPercent)
    .map((row) => ({
      title: LOW_UTILIZATION_TITLE,
      text: `${row.company}: GPU utilization ${row.utilization.toFixed(1)}% on ${target} (below ${thresholdPercent}%; ${row.totalGpuHour.toFixed(1)} of ${row.assignedGpuHour} GPU hours)`,
      severity: 'WARN',
    }));
}
