import type { Config } from '../config/types.js';
import { buildCalendars, type CompanyCalendar } from '../shared/calendar.js';
import { compareCodePoints } from '../shared/compare.js';
import { calendarDayAt, type IsoDate } from '../shared/dates.js';
import { isDeleted, type RunDay } from '../shared/run-day.js';
import type { MonthSums, TeamDay } from './month-sums.js';
import { createPairLog, createRunInterner } from './run-numbering.js';
import { ignoreTagMatcher } from './usage-filter.js';

/** Sums of one company's usage rows on one grid day (docs/behaviour.md §6), before rounding. */
export type DaySums = {
  gpuHours: number;
  metricsHours: number;
  sumUtil: number;
  sumMem: number;
  busyHours: number;
  unmeasuredHours: number;
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

/** A company's grid as day offsets from its first grid day. */
type CompanySlots = {
  readonly company: string;
  readonly firstDay: number;
  /** Per day offset from firstDay up to T: the grid day's date, or undefined off the grid. */
  readonly gridDates: readonly (IsoDate | undefined)[];
  /** Where this company's days start in the slot numbering shared by all companies. */
  readonly firstSlot: number;
};

// The lane layout, speed-tuned: this runs once per dataset row (millions a `tables` run), so a slot (a
// team's or a company's grid day) is not an object but SUM_LANES numbers side by side in one Float64Array,
// slot i at [i × SUM_LANES, (i + 1) × SUM_LANES): no allocation per day, no property lookups, and the sums
// of neighbouring days in neighbouring memory. The lanes hold a DaySums in this order:
//   GPU_HOURS        Σ duration × gpu_count                     (docs/behaviour.md §6)
//   METRICS_HOURS    Σ duration over rows with a utilisation
//   SUM_UTIL         Σ average_gpu_utilization × duration
//   SUM_MEM          Σ average_gpu_memory × duration
//   BUSY_HOURS       Σ duration × gpu_count × utilisation / 100  (§13)
//   UNMEASURED_HOURS Σ duration × gpu_count over rows without one (§13)
//   MAX_UTIL         max_gpu_utilization so far (valid when FLAGS has HAS_MAX_UTIL)
//   MAX_MEM          max_gpu_memory so far (valid when FLAGS has HAS_MAX_MEM)
//   FLAGS            bits: HAS_ROWS, HAS_MAX_UTIL, HAS_MAX_MEM (a maximum may be null; a lane cannot)
const [GPU_HOURS, METRICS_HOURS, SUM_UTIL, SUM_MEM, BUSY_HOURS, UNMEASURED_HOURS, MAX_UTIL, MAX_MEM, FLAGS] =
  [0, 1, 2, 3, 4, 5, 6, 7, 8];
const SUM_LANES = 9;
const [HAS_ROWS, HAS_MAX_UTIL, HAS_MAX_MEM] = [1, 2, 4];

/** Where a team's days go: its company; `index` numbers the team for the run interner. */
type TeamSlots = { readonly company: CompanySlots; readonly index: number };

/** A team-day's sums and maxima, and its runs: what a company's grid day adds up. */
type DayFigures = Pick<
  TeamDay,
  'gpuHours' | 'metricsHours' | 'sumUtil' | 'sumMem' | 'busyHours' | 'unmeasuredHours' | 'maxUtil' | 'maxMem'
> & {
  readonly runs: ArrayLike<number>;
};

/**
 * Folds months of per team and day sums into per-company, per-grid-day sums. Deleted rows,
 * ignore-tagged rows, rows of unknown teams and rows not on a grid day up to T are left out (the
 * month sums count the first two). A company's day adds its teams' days in the month's order;
 * grid days are found by day number in arrays, and a day's runs are logged as (day, run) pairs in
 * one typed array (not kept in a set per day).
 */
export function createUsageAccumulator(config: Config, target: IsoDate) {
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
  const sums = new Float64Array(slotCount * SUM_LANES);
  const runLog = createPairLog();
  const runs = createRunInterner();
  const unknownTeams = new Set<string>();
  const counts = { rowsRead: 0, rowsUsed: 0, unknownTeamRows: 0, deletedRows: 0, ignoredRows: 0 };

  /** One team's day of a month's sums: counted, then folded into its company's grid day, if it is one. */
  const addDay = (day: TeamDay, runIds: readonly number[]): void => {
    counts.rowsRead += day.rows;
    const team = teamSlots.get(day.team);
    if (team === undefined) {
      counts.unknownTeamRows += day.rows;
      unknownTeams.add(day.team);
      return;
    }
    counts.deletedRows += day.deleted;
    counts.ignoredRows += day.ignored;
    const company = team.company;
    const offset = day.date.length === 10 ? calendarDayAt(day.date, 0) - company.firstDay : Number.NaN;
    // Also false for NaN (not a date).
    if (!(offset >= 0 && offset < company.gridDates.length) || company.gridDates[offset] === undefined)
      return;
    counts.rowsUsed += day.rows - day.deleted - day.ignored;
    if (day.rows === day.deleted + day.ignored) return;
    foldDay(company.firstSlot + offset, day, runIds);
  };

  /** A team's counted day into a company's grid-day slot; `runIds` maps its run indices (none: they are ours). */
  const foldDay = (slot: number, day: DayFigures, runIds: readonly number[] | undefined): void => {
    const at = slot * SUM_LANES;
    let flags = sums[at + FLAGS]! | HAS_ROWS;
    sums[at + GPU_HOURS]! += day.gpuHours;
    sums[at + METRICS_HOURS]! += day.metricsHours;
    sums[at + SUM_UTIL]! += day.sumUtil;
    sums[at + SUM_MEM]! += day.sumMem;
    sums[at + BUSY_HOURS]! += day.busyHours;
    sums[at + UNMEASURED_HOURS]! += day.unmeasuredHours;
    // Maxima of the non-null values: the first one, then any greater one.
    if (day.maxUtil !== null && (!(flags & HAS_MAX_UTIL) || day.maxUtil > sums[at + MAX_UTIL]!)) {
      sums[at + MAX_UTIL] = day.maxUtil;
      flags |= HAS_MAX_UTIL;
    }
    if (day.maxMem !== null && (!(flags & HAS_MAX_MEM) || day.maxMem > sums[at + MAX_MEM]!)) {
      sums[at + MAX_MEM] = day.maxMem;
      flags |= HAS_MAX_MEM;
    }
    sums[at + FLAGS] = flags;
    for (let i = 0; i < day.runs.length; i++) {
      const run = day.runs[i]!;
      runLog.push(slot, runIds ? runIds[run]! : run);
    }
  };

  const addMonth = (month: MonthSums): void => {
    // The month's runs numbered once in the accumulator's numbering (a run of several months keeps its number).
    const runIds = month.runs.map((run) => {
      const team = teamSlots.get(run.team);
      return team === undefined ? -1 : runs.intern(team.index, run.project, run.runId);
    });
    for (const day of month.days) addDay(day, runIds);
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
          busyHours: sums[at + BUSY_HOURS]!,
          unmeasuredHours: sums[at + UNMEASURED_HOURS]!,
          maxUtil: flags & HAS_MAX_UTIL ? sums[at + MAX_UTIL]! : null,
          maxMem: flags & HAS_MAX_MEM ? sums[at + MAX_MEM]! : null,
          runs: runsBySlot(firstSlot + offset),
        });
      });
      days.set(company, byDay);
    }
    return { calendars, days, runCount: runs.count(), unknownTeams: [...unknownTeams].sort(), ...counts };
  };

  return { addMonth, finish, internals: { teamSlots, runs, counts, unknownTeams, foldDay } };
}

function companySlots(calendar: CompanyCalendar, firstSlot: number): CompanySlots {
  const dates = [...calendar.grid.keys()];
  const firstDay = dates[0] === undefined ? 0 : calendarDayAt(dates[0], 0);
  const span = dates.length === 0 ? 0 : calendarDayAt(dates[dates.length - 1]!, 0) - firstDay + 1;
  const gridDates = new Array<IsoDate | undefined>(span).fill(undefined);
  for (const date of dates) gridDates[calendarDayAt(date, 0) - firstDay] = date;
  return { company: calendar.company, firstDay, gridDates, firstSlot };
}

/**
 * The rows path (`tables`, `check`): rows folded into per team and grid day sums as they stream past,
 * then each team's days into its company's in team order, as the nightly job adds its months' sums (a
 * file in the dataset's order lists a day's teams in that order), so both give the same doubles. This
 * runs once per dataset row, so a team's days are found by day number in arrays, not by date in maps.
 */
export function createRowsAccumulator(config: Config, target: IsoDate) {
  const usage = createUsageAccumulator(config, target);
  const { teamSlots, runs, counts, unknownTeams, foldDay } = usage.internals;
  const isIgnored = ignoreTagMatcher(config.ignore_tags);
  /** Per known team: where its days start in the team-day lanes (its company's grid, one slot a day). */
  const teamFirst = new Map<string, number>();
  let slotCount = 0;
  for (const [team, { company }] of teamSlots) {
    teamFirst.set(team, slotCount);
    slotCount += company.gridDates.length;
  }
  const lanes = new Float64Array(slotCount * SUM_LANES);
  const runLog = createPairLog();
  let lastName: string | undefined;
  let lastTeam: TeamSlots | undefined;
  let lastFirst = 0;

  /** One dataset row: counted, and folded into its team's grid day (the hot path of `tables` and `check`). */
  const foldDatasetRow = (row: RunDay): void => {
    counts.rowsRead++;
    if (row.company_name !== lastName) {
      lastName = row.company_name;
      lastTeam = teamSlots.get(lastName);
      lastFirst = teamFirst.get(lastName) ?? 0;
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
    const slot = lastFirst + offset;
    foldRowInto(lanes, slot * SUM_LANES, row);
    runLog.push(slot, runs.intern(team.index, row.project, row.run_id));
  };

  const finish = (): UsageTotals => {
    const runsBySlot = runLog.groupByFirst(slotCount);
    // The counts were taken per row above; each team's days go into its company's in team order.
    for (const name of [...teamSlots.keys()].sort(compareCodePoints)) {
      const { company } = teamSlots.get(name)!;
      const first = teamFirst.get(name)!;
      company.gridDates.forEach((date, offset) => {
        const slot = first + offset;
        if (date === undefined || !(lanes[slot * SUM_LANES + FLAGS]! & HAS_ROWS)) return;
        foldDay(company.firstSlot + offset, teamDayOf(lanes, slot * SUM_LANES, runsBySlot(slot)), undefined);
      });
    }
    return usage.finish();
  };

  return { add: foldDatasetRow, finish };
}

/** One counted row into a team-day's lanes (docs/behaviour.md §6, §13): maxima over the non-empty values. */
function foldRowInto(lanes: Float64Array, at: number, row: RunDay): void {
  const hours = row.duration_hour;
  let flags = lanes[at + FLAGS]! | HAS_ROWS;
  const gpuHours = hours * (row.gpu_count ?? 0);
  lanes[at + GPU_HOURS]! += gpuHours;
  if (row.average_gpu_utilization !== null) {
    lanes[at + METRICS_HOURS]! += hours;
    lanes[at + SUM_UTIL]! += row.average_gpu_utilization * hours;
    lanes[at + BUSY_HOURS]! += (gpuHours * row.average_gpu_utilization) / 100;
  } else {
    lanes[at + UNMEASURED_HOURS]! += gpuHours;
  }
  if (row.average_gpu_memory !== null) lanes[at + SUM_MEM]! += row.average_gpu_memory * hours;
  const maxUtil = row.max_gpu_utilization;
  if (maxUtil !== null && (!(flags & HAS_MAX_UTIL) || maxUtil > lanes[at + MAX_UTIL]!)) {
    lanes[at + MAX_UTIL] = maxUtil;
    flags |= HAS_MAX_UTIL;
  }
  const maxMem = row.max_gpu_memory;
  if (maxMem !== null && (!(flags & HAS_MAX_MEM) || maxMem > lanes[at + MAX_MEM]!)) {
    lanes[at + MAX_MEM] = maxMem;
    flags |= HAS_MAX_MEM;
  }
  lanes[at + FLAGS] = flags;
}

function teamDayOf(lanes: Float64Array, at: number, runs: Int32Array): DayFigures {
  const flags = lanes[at + FLAGS]!;
  return {
    gpuHours: lanes[at + GPU_HOURS]!,
    metricsHours: lanes[at + METRICS_HOURS]!,
    sumUtil: lanes[at + SUM_UTIL]!,
    sumMem: lanes[at + SUM_MEM]!,
    busyHours: lanes[at + BUSY_HOURS]!,
    unmeasuredHours: lanes[at + UNMEASURED_HOURS]!,
    maxUtil: flags & HAS_MAX_UTIL ? lanes[at + MAX_UTIL]! : null,
    maxMem: flags & HAS_MAX_MEM ? lanes[at + MAX_MEM]! : null,
    runs,
  };
}
