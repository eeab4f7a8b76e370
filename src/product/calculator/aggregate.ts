import type { Config } from '../config/types.js';
import { buildCalendars, type CompanyCalendar } from '../shared/calendar.js';
import { calendarDayAt, type IsoDate } from '../shared/dates.js';
import { isDeleted, type RunDay } from '../shared/run-day.js';
import { createPairLog, createRunInterner } from './run-numbering.js';
import { ignoreTagMatcher } from './usage-filter.js';

/** Sums of one company's usage rows on one grid day (docs/behaviour.md §6), before rounding. */
export type DaySums = {
  gpuHours: number;
  metricsHours: number;
  sumUtil: number;
  sumMem: number;
  maxUtil: number | null;
  maxMem: number | null;
};

export type DayUsage = Readonly<DaySums> & {
  /**
   * The runs with rows that day, as ids interned per accumulator (0 … runCount - 1); an id
   * repeats when the dataset holds a run twice on one day, so count distinct ids.
   */
  readonly runs: Int32Array;
};

export type UsageTotals = {
  readonly calendars: readonly CompanyCalendar[];
  /** company → grid day → usage; days without rows are absent. */
  readonly days: ReadonlyMap<string, ReadonlyMap<IsoDate, DayUsage>>;
  /** Number of distinct runs seen: every run id in `days` is below it. */
  readonly runCount: number;
  readonly rowsRead: number;
  readonly rowsUsed: number;
  readonly unknownTeamRows: number;
  readonly unknownTeams: readonly string[];
  readonly deletedRows: number;
  readonly ignoredRows: number;
};

export type UsageAccumulator = { add(row: RunDay): void; finish(): UsageTotals };

/** A company's grid as day offsets from its first grid day. */
type CompanySlots = {
  readonly company: string;
  readonly firstDay: number;
  /** Per day offset from firstDay up to T: the grid day's date, or undefined off the grid. */
  readonly gridDates: readonly (IsoDate | undefined)[];
  /** Where this company's days start in the slot numbering shared by all companies. */
  readonly firstSlot: number;
};

/** Each slot's sums sit side by side in one Float64Array, SUM_LANES numbers a slot. */
const [GPU_HOURS, METRICS_HOURS, SUM_UTIL, SUM_MEM, MAX_UTIL, MAX_MEM, FLAGS, SUM_LANES] = [
  0, 1, 2, 3, 4, 5, 6, 8,
];
/** Bits of the FLAGS lane: the slot has rows; MAX_UTIL and MAX_MEM hold a value (else null). */
const [HAS_ROWS, HAS_MAX_UTIL, HAS_MAX_MEM] = [1, 2, 4];

/** Where a team's rows go: its company; `index` numbers the team for the run interner. */
type TeamSlots = { readonly company: CompanySlots; readonly index: number };

/**
 * Folds dataset rows into per-company, per-grid-day sums as they stream past, so a large
 * dataset is never held twice. Deleted rows, ignore-tagged rows, rows of unknown teams and
 * rows not on a grid day up to T are left out. This runs once per dataset row, so grid days
 * are found by day number in arrays (not by date in maps), and a day's runs are logged as
 * (day, run) pairs in one typed array (not kept in a set per day).
 */
export function createUsageAccumulator(config: Config, target: IsoDate): UsageAccumulator {
  const calendars = buildCalendars(config, target);
  let slotCount = 0;
  const companies = calendars.map((calendar) => {
    const slots = companySlots(calendar, slotCount);
    slotCount += slots.gridDates.length;
    return slots;
  });
  const teamSlots = new Map<string, TeamSlots>();
  // A team listed under two companies belongs to the last one, as in teamIndex.
  companies.forEach((company, i) => {
    for (const team of calendars[i]!.teams) teamSlots.set(team, { company, index: teamSlots.size });
  });
  const isIgnored = ignoreTagMatcher(config.ignore_tags);
  const sums = new Float64Array(slotCount * SUM_LANES);
  const runLog = createPairLog();
  const runs = createRunInterner();
  const unknownTeams = new Set<string>();
  const counts = { rowsRead: 0, rowsUsed: 0, unknownTeamRows: 0, deletedRows: 0, ignoredRows: 0 };

  // Our dataset files are sorted by team first (compareDatasetOrder): the last row's team is checked first.
  let lastTeamName: string | undefined;
  let lastTeam: TeamSlots | undefined;

  const add = (row: RunDay): void => {
    counts.rowsRead++;
    if (row.company_name !== lastTeamName) {
      lastTeamName = row.company_name;
      lastTeam = teamSlots.get(lastTeamName);
    }
    const team = lastTeam;
    if (team === undefined) {
      counts.unknownTeamRows++;
      unknownTeams.add(row.company_name);
      return;
    }
    if (isDeleted(row)) {
      counts.deletedRows++;
      return;
    }
    if (row.tags.length > 0 && isIgnored(row.tags)) {
      counts.ignoredRows++;
      return;
    }
    const company = team.company;
    const offset = row.date.length === 10 ? calendarDayAt(row.date, 0) - company.firstDay : Number.NaN;
    // Also false for NaN (not a date).
    if (!(offset >= 0 && offset < company.gridDates.length) || company.gridDates[offset] === undefined)
      return;
    counts.rowsUsed++;
    const slot = company.firstSlot + offset;
    const at = slot * SUM_LANES;
    const hours = row.duration_hour;
    let flags = sums[at + FLAGS]! | HAS_ROWS;
    sums[at + GPU_HOURS]! += hours * (row.gpu_count ?? 0);
    if (row.average_gpu_utilization !== null) {
      sums[at + METRICS_HOURS]! += hours;
      sums[at + SUM_UTIL]! += row.average_gpu_utilization * hours;
    }
    if (row.average_gpu_memory !== null) sums[at + SUM_MEM]! += row.average_gpu_memory * hours;
    // Maxima of the non-null values: the first one, then any greater one.
    const maxUtil = row.max_gpu_utilization;
    if (maxUtil !== null && (!(flags & HAS_MAX_UTIL) || maxUtil > sums[at + MAX_UTIL]!)) {
      sums[at + MAX_UTIL] = maxUtil;
      flags |= HAS_MAX_UTIL;
    }
    const maxMem = row.max_gpu_memory;
    if (maxMem !== null && (!(flags & HAS_MAX_MEM) || maxMem > sums[at + MAX_MEM]!)) {
      sums[at + MAX_MEM] = maxMem;
      flags |= HAS_MAX_MEM;
    }
    sums[at + FLAGS] = flags;
    runLog.push(slot, runs.intern(team.index, row.project, row.run_id));
  };

  const finish = (): UsageTotals => {
    const runsBySlot = runLog.groupByFirst(slotCount);
    const days = new Map<string, Map<IsoDate, DayUsage>>();
    for (const { company, gridDates, firstSlot } of companies) {
      const byDay = new Map<IsoDate, DayUsage>();
      gridDates.forEach((date, offset) => {
        const at = (firstSlot + offset) * SUM_LANES;
        const flags = sums[at + FLAGS]!;
        if (date === undefined || !(flags & HAS_ROWS)) return;
        byDay.set(date, {
          gpuHours: sums[at + GPU_HOURS]!,
          metricsHours: sums[at + METRICS_HOURS]!,
          sumUtil: sums[at + SUM_UTIL]!,
          sumMem: sums[at + SUM_MEM]!,
          maxUtil: flags & HAS_MAX_UTIL ? sums[at + MAX_UTIL]! : null,
          maxMem: flags & HAS_MAX_MEM ? sums[at + MAX_MEM]! : null,
          runs: runsBySlot(firstSlot + offset),
        });
      });
      days.set(company, byDay);
    }
    return { calendars, days, runCount: runs.count(), unknownTeams: [...unknownTeams].sort(), ...counts };
  };

  return { add, finish };
}

function companySlots(calendar: CompanyCalendar, firstSlot: number): CompanySlots {
  const dates = [...calendar.grid.keys()];
  const firstDay = dates[0] === undefined ? 0 : calendarDayAt(dates[0], 0);
  const span = dates.length === 0 ? 0 : calendarDayAt(dates[dates.length - 1]!, 0) - firstDay + 1;
  const gridDates = new Array<IsoDate | undefined>(span).fill(undefined);
  for (const date of dates) gridDates[calendarDayAt(date, 0) - firstDay] = date;
  return { company: calendar.company, firstDay, gridDates, firstSlot };
}
