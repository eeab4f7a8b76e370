// The allocation outlook (docs/behaviour.md §13): per company, how much of this month's allocation it has
// used, how much is still to come from the schedule, and where its trailing-week pace takes it by month end.
import type { Config } from '../config/types.js';
import { nodesOn } from '../shared/calendar.js';
import { compareCodePoints } from '../shared/compare.js';
import { addDays, dateRange, type IsoDate, monthEnd, monthOf, monthStart } from '../shared/dates.js';
import { roundHalfUp } from '../shared/round.js';
import type { UsageRow } from './periods.js';

export type OutlookStatus = 'on track' | 'at risk' | 'not started';

/** One company's row; hours and percentages rounded half up to 1 decimal, null when empty. */
export type OutlookRow = {
  readonly company: string;
  /** T's calendar month, YYYY-MM. */
  readonly month: string;
  readonly allocatedToDate: number;
  readonly usedToDate: number;
  readonly allocatedRest: number;
  readonly pacePercent: number | null;
  readonly projectedUsed: number | null;
  readonly projectedUsePercent: number | null;
  readonly status: OutlookStatus;
};

const HOURS_PER_DAY = 24;
const PACE_DAYS = 7;

/**
 * The outlook of every company with nodes on some day of T's month, from the daily rows (each grid
 * day's capped total and allocation) and the schedule (the allocation still to come). Sorted by
 * projected use ascending (empty last), then company.
 */
export function allocationOutlook(
  daily: readonly UsageRow[],
  config: Pick<Config, 'companies' | 'gpus_per_node' | 'insight'>,
  target: IsoDate,
): OutlookRow[] {
  const month = monthOf(target);
  const monthDays = dateRange(monthStart(target), monthEnd(target));
  const paceFrom = addDays(target, -(PACE_DAYS - 1));
  // The daily rows of the month so far and of the trailing week, by company.
  const toDates = new Map<string, UsageRow[]>();
  const recents = new Map<string, UsageRow[]>();
  for (const row of daily) {
    const date = row.period ?? '';
    if (date.startsWith(month) && date <= target) push(toDates, row.company, row);
    if (date >= paceFrom && date <= target) push(recents, row.company, row);
  }
  const rows: OutlookRow[] = [];
  for (const company of config.companies) {
    if (!monthDays.some((d) => nodesOn(company, d) > 0)) continue;
    const toDate = sums(toDates.get(company.company) ?? []);
    const recent = sums(recents.get(company.company) ?? []);
    let allocatedRest = 0;
    for (const d of monthDays) {
      if (d > target) allocatedRest += nodesOn(company, d) * config.gpus_per_node * HOURS_PER_DAY;
    }
    // The trailing week's pace; without a grid day there, the month's so far; without either, none.
    const pace =
      recent.assigned > 0
        ? recent.used / recent.assigned
        : toDate.assigned > 0
          ? toDate.used / toDate.assigned
          : null;
    const projectedUsed = pace === null ? null : toDate.used + pace * allocatedRest;
    const projectedPercent =
      projectedUsed === null ? null : (projectedUsed / (toDate.assigned + allocatedRest)) * 100;
    rows.push({
      company: company.company,
      month,
      allocatedToDate: shown(toDate.assigned),
      usedToDate: shown(toDate.used),
      allocatedRest: shown(allocatedRest),
      pacePercent: pace === null ? null : shown(pace * 100),
      projectedUsed: projectedUsed === null ? null : shown(projectedUsed),
      projectedUsePercent: projectedPercent === null ? null : shown(projectedPercent),
      // Compared as shown, so a row reading 80.0 is never `at risk` against a target of 80.
      status:
        projectedPercent === null
          ? 'not started'
          : shown(projectedPercent) >= config.insight.target_use_percent
            ? 'on track'
            : 'at risk',
    });
  }
  return rows.sort(compareOutlook);
}

function push(map: Map<string, UsageRow[]>, key: string, row: UsageRow): void {
  const list = map.get(key);
  if (list) list.push(row);
  else map.set(key, [row]);
}

function sums(days: readonly UsageRow[]): { assigned: number; used: number } {
  let assigned = 0;
  let used = 0;
  for (const day of days) {
    assigned += day.assignedGpuHour;
    used += day.totalGpuHour;
  }
  return { assigned, used };
}

const shown = (value: number): number => roundHalfUp(value, 1);

/** Projected use ascending as shown, empty last, then company (code-point order). */
function compareOutlook(a: OutlookRow, b: OutlookRow): number {
  const pa = a.projectedUsePercent;
  const pb = b.projectedUsePercent;
  if (pa !== pb) {
    if (pa === null) return 1;
    if (pb === null) return -1;
    return pa - pb;
  }
  return compareCodePoints(a.company, b.company);
}
