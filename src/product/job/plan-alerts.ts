import { duplicateInitAlert, findDuplicateGroups } from '../alert/duplicate-init.js';
import { lowUtilizationAlerts } from '../alert/low-utilization.js';
import type { Alert } from '../alert/types.js';
import type { CalculatorResult } from '../calculator/build-tables.js';
import type { Config } from '../config/types.js';
import { formatLocalTime, type IsoDate } from '../shared/dates.js';
import type { TrackerResult } from '../tracker/fetch-runs.js';

/** The alerts of a job's target date T: low utilisation per company, and duplicate-init runs. */
export function planAlerts(
  config: Config,
  result: CalculatorResult,
  tracked: TrackerResult,
  target: IsoDate,
): Alert[] {
  const alerts = lowUtilizationAlerts(result.usage.daily, target, config.alerts.low_utilization_percent);
  const groups = findDuplicateGroups(
    tracked.fetched.map((r) => ({
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
