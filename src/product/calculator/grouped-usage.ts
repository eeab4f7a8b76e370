// GPU-hours of a company's counted rows grouped by a key of the row (its user, its project) over a
// window of T's grid days: the per-user table and the month-end statement (docs/behaviour.md §13).
import type { Config } from '../config/types.js';
import { buildCalendars } from '../shared/calendar.js';
import type { IsoDate } from '../shared/dates.js';
import { isDeleted, type RunDay } from '../shared/run-day.js';
import { ignoreTagMatcher, runKey } from './usage-filter.js';

/** One group's unrounded sums. */
export type GroupUsage = {
  readonly company: string;
  readonly key: string;
  readonly gpuHours: number;
  readonly busyHours: number;
  readonly nRuns: number;
};

type MutableGroup = { company: string; key: string; gpuHours: number; busyHours: number; runs: Set<string> };

/** The company a row counts for in the usage tables (§6's R: a grid day up to T), undefined when none. */
export type CountedRowCompany = (row: RunDay) => string | undefined;

/** Whether a row counts in the usage tables on a grid day up to T, and for which company (§6's R). */
export function countedRowCompany(config: Config, target: IsoDate): CountedRowCompany {
  const grids = new Map<string, { company: string; grid: ReadonlyMap<IsoDate, number> }>();
  // A team listed under two companies belongs to the last one, as in the usage tables.
  for (const calendar of buildCalendars(config, target)) {
    for (const team of calendar.teams) grids.set(team, { company: calendar.company, grid: calendar.grid });
  }
  const isIgnored = ignoreTagMatcher(config.ignore_tags);
  return (row) => {
    const team = grids.get(row.company_name);
    if (team === undefined || !team.grid.has(row.date)) return undefined;
    if (isDeleted(row) || (row.tags.length > 0 && isIgnored(row.tags))) return undefined;
    return team.company;
  };
}

/**
 * Sums per company and key over the counted rows dated in [from, T]: GPU-hours (uncapped), busy
 * GPU-hours (§13) and distinct runs, in no particular order.
 */
export function createGroupedUsage(
  companyOf: CountedRowCompany,
  target: IsoDate,
  from: IsoDate,
  keyOf: (row: RunDay) => string,
) {
  const groups = new Map<string, MutableGroup>();
  const add = (row: RunDay): void => {
    if (row.date < from || row.date > target) return;
    const company = companyOf(row);
    if (company === undefined) return;
    const key = keyOf(row);
    const id = `${company}\u0000${key}`;
    let group = groups.get(id);
    if (group === undefined) {
      group = { company, key, gpuHours: 0, busyHours: 0, runs: new Set() };
      groups.set(id, group);
    }
    const gpuHours = row.duration_hour * (row.gpu_count ?? 0);
    group.gpuHours += gpuHours;
    if (row.average_gpu_utilization !== null)
      group.busyHours += (gpuHours * row.average_gpu_utilization) / 100;
    group.runs.add(runKey(row));
  };
  const finish = (): GroupUsage[] =>
    [...groups.values()].map(({ runs, ...group }) => ({ ...group, nRuns: runs.size }));
  return { add, finish };
}
