import type { Config } from '../config/types.js';
import type { IsoDate } from '../shared/dates.js';
import { isDeleted, type RunDay } from '../shared/run-day.js';
import { buildCalendars, type CompanyCalendar } from './calendar.js';
import { ignoreTagMatcher, runKey, teamIndex } from './usage-filter.js';

/** Sums of one company's usage rows on one grid day (SPEC §6), before rounding. */
export type DayUsage = {
  gpuHours: number;
  metricsHours: number;
  sumUtil: number;
  sumMem: number;
  maxUtil: number | null;
  maxMem: number | null;
  /** Distinct runs, as ids interned per accumulator (keeps a million-row dataset small). */
  runs: Set<number>;
};

export type UsageTotals = {
  readonly calendars: readonly CompanyCalendar[];
  /** company → grid day → usage; days without rows are absent. */
  readonly days: ReadonlyMap<string, ReadonlyMap<IsoDate, DayUsage>>;
  readonly rowsRead: number;
  readonly rowsUsed: number;
  readonly unknownTeamRows: number;
  readonly unknownTeams: readonly string[];
  readonly deletedRows: number;
  readonly ignoredRows: number;
};

export type UsageAccumulator = { add(row: RunDay): void; finish(): UsageTotals };

/**
 * Folds dataset rows into per-company, per-grid-day sums as they stream past, so a large
 * dataset is never held twice. Deleted rows, ignore-tagged rows, rows of unknown teams and
 * rows not on a grid day up to T are left out.
 */
export function createUsageAccumulator(config: Config, target: IsoDate): UsageAccumulator {
  const calendars = buildCalendars(config, target);
  const gridOf = new Map(calendars.map((c) => [c.company, c.grid]));
  const companyOf = teamIndex(config.companies);
  const isIgnored = ignoreTagMatcher(config.ignore_tags);
  const days = new Map<string, Map<IsoDate, DayUsage>>(calendars.map((c) => [c.company, new Map()]));
  const runIds = new Map<string, number>();
  const unknownTeams = new Set<string>();
  const counts = { rowsRead: 0, rowsUsed: 0, unknownTeamRows: 0, deletedRows: 0, ignoredRows: 0 };

  const add = (row: RunDay): void => {
    counts.rowsRead++;
    const company = companyOf.get(row.company_name);
    if (company === undefined) {
      counts.unknownTeamRows++;
      unknownTeams.add(row.company_name);
      return;
    }
    if (isDeleted(row)) {
      counts.deletedRows++;
      return;
    }
    if (isIgnored(row.tags)) {
      counts.ignoredRows++;
      return;
    }
    if (!gridOf.get(company)?.has(row.date)) return;
    counts.rowsUsed++;
    const byDay = days.get(company)!;
    let day = byDay.get(row.date);
    if (!day) {
      day = {
        gpuHours: 0,
        metricsHours: 0,
        sumUtil: 0,
        sumMem: 0,
        maxUtil: null,
        maxMem: null,
        runs: new Set(),
      };
      byDay.set(row.date, day);
    }
    day.gpuHours += row.duration_hour * (row.gpu_count ?? 0);
    if (row.average_gpu_utilization !== null) {
      day.metricsHours += row.duration_hour;
      day.sumUtil += row.average_gpu_utilization * row.duration_hour;
    }
    if (row.average_gpu_memory !== null) day.sumMem += row.average_gpu_memory * row.duration_hour;
    day.maxUtil = maxOf(day.maxUtil, row.max_gpu_utilization);
    day.maxMem = maxOf(day.maxMem, row.max_gpu_memory);
    const key = runKey(row);
    let id = runIds.get(key);
    if (id === undefined) {
      id = runIds.size;
      runIds.set(key, id);
    }
    day.runs.add(id);
  };

  return {
    add,
    finish: () => ({ calendars, days, unknownTeams: [...unknownTeams].sort(), ...counts }),
  };
}

function maxOf(current: number | null, value: number | null): number | null {
  if (value === null) return current;
  return current === null || value > current ? value : current;
}
