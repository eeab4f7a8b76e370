// Who uses a company's allocation: GPU-hours per W&B user over T's week and T's month (docs/behaviour.md §13).
import type { Config } from '../config/types.js';
import { compareCodePoints } from '../shared/compare.js';
import { type IsoDate, monthOf, monthStart, weekStart } from '../shared/dates.js';
import { roundHalfUp } from '../shared/round.js';
import type { RunDay } from '../shared/run-day.js';
import {
  type CountedRowCompany,
  countedRowCompany,
  createGroupedUsage,
  type GroupUsage,
} from './grouped-usage.js';

/** How a row without a W&B user (W&B gave none, or the file predates the column) is shown. */
export const UNKNOWN_USER = '(unknown)';

export type UserPeriod = 'week' | 'month';

export type UserUsageRow = {
  readonly company: string;
  readonly period: UserPeriod;
  /** The week's first day (YYYY-MM-DD) or the month (YYYY-MM). */
  readonly periodStart: string;
  readonly username: string;
  /** GPU-hours and busy GPU-hours, rounded half up to 2 decimals. */
  readonly gpuHour: number;
  readonly busyGpuHour: number;
  readonly nRuns: number;
};

export const userOf = (row: RunDay): string => row.username || UNKNOWN_USER;

/** Rows folded in as they come; finish gives every company's rows, sorted by company, period, GPU-hours descending, user. */
export function createUserUsage(
  config: Config,
  target: IsoDate,
  companyOf: CountedRowCompany = countedRowCompany(config, target),
) {
  const week = weekStart(target, config.weekStartIndex);
  const periods = [
    {
      period: 'month' as const,
      start: monthOf(target),
      usage: createGroupedUsage(companyOf, target, monthStart(target), userOf),
    },
    { period: 'week' as const, start: week, usage: createGroupedUsage(companyOf, target, week, userOf) },
  ];
  return {
    add(row: RunDay): void {
      for (const p of periods) p.usage.add(row);
    },
    finish(): UserUsageRow[] {
      const rows = periods.flatMap((p) => p.usage.finish().map((g) => userRow(g, p.period, p.start)));
      return rows.sort(
        (a, b) =>
          compareCodePoints(a.company, b.company) ||
          compareCodePoints(a.period, b.period) ||
          b.gpuHour - a.gpuHour ||
          compareCodePoints(a.username, b.username),
      );
    },
  };
}

function userRow(group: GroupUsage, period: UserPeriod, periodStart: string): UserUsageRow {
  return {
    company: group.company,
    period,
    periodStart,
    username: group.key,
    gpuHour: roundHalfUp(group.gpuHours, 2),
    busyGpuHour: roundHalfUp(group.busyHours, 2),
    nRuns: group.nRuns,
  };
}
