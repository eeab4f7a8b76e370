import { duplicateInitAlert, findDuplicateGroups } from '../alert/duplicate-init.js';
import { lowUtilizationAlerts } from '../alert/low-utilization.js';
import type { Alert } from '../alert/types.js';
import type { UsageRow } from '../calculator/index.js';
import type { Config } from '../config/types.js';
import { formatLocalTime, type IsoDate } from '../shared/dates.js';
import type { RunRecord } from '../tracker/types.js';

/**
 * The alerts of a job's target date T: one per company below the utilisation threshold on T (from
 * the daily usage), then one listing the duplicate-init groups among the fetched runs, if any.
 */
export function planAlerts(
  config: Config,
  daily: readonly UsageRow[],
  fetched: readonly RunRecord[],
  target: IsoDate,
): Alert[] {
  const alerts = lowUtilizationAlerts(daily, target, config.alerts.low_utilization_percent);
  const groups = findDuplicateGroups(
    fetched.map((r) => ({
      team: r.team,
      project: r.project,
      runId: r.runId,
      host: r.host ?? '',
      start: r.createdAt,
      end: r.heartbeatAt,
    })),
  );
  const duplicate = duplicateInitAlert(groups, (ms) => formatLocalTime(ms, config.timezone).slice(0, 19));
  return duplicate ? [...alerts, duplicate] : alerts;
}
