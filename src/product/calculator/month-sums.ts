// The §6 sums of one month of the dataset, per team and day: what the usage tables are computed from.
// The nightly job keeps them beside each month file (docs/behaviour.md §14), so a night reads the
// small sums of the months it did not touch instead of their rows.
import { isDeleted, type RunDay } from '../shared/run-day.js';
import { createRunInterner } from './run-numbering.js';

/** One team's rows on one day: counts, and the sums and maxima of its counted rows (not deleted, not ignored). */
export type TeamDay = {
  readonly team: string;
  readonly date: string;
  /** Every row of the team that day, deleted and ignore-tagged ones included. */
  readonly rows: number;
  readonly deleted: number;
  /** Ignore-tagged rows that are not deleted. */
  readonly ignored: number;
  readonly gpuHours: number;
  readonly metricsHours: number;
  readonly sumUtil: number;
  readonly sumMem: number;
  /** GPU-hours the devices were busy (rows with a utilisation) and GPU-hours without one (docs/behaviour.md §13). */
  readonly busyHours: number;
  readonly unmeasuredHours: number;
  readonly maxUtil: number | null;
  readonly maxMem: number | null;
  /** The counted rows' runs, as indices into MonthSums.runs (a run repeats if the file holds it twice). */
  readonly runs: readonly number[];
};

export type MonthRun = { readonly team: string; readonly project: string; readonly runId: string };

export type MonthSums = {
  readonly month: string;
  readonly rows: number;
  readonly runs: readonly MonthRun[];
  /** In order of first appearance (a file in the dataset's order lists its teams in code-point order). */
  readonly days: readonly TeamDay[];
};

type MutableDay = { -readonly [K in keyof TeamDay]: TeamDay[K] } & { runs: number[] };

export type MonthSumsBuilder = { add(row: RunDay): void; finish(): MonthSums };

/**
 * Folds one month's rows into per team and day sums, in the rows' order (the order of additions is
 * the order the tables' sums were always taken in, so the figures do not move by a rounding).
 */
export function createMonthSumsBuilder(
  month: string,
  isIgnored: (tags: readonly string[]) => boolean,
): MonthSumsBuilder {
  const days: MutableDay[] = [];
  /** Per team (by name): its index for the interner, its canonical name, its days by date. */
  const teams = new Map<string, { index: number; name: string; days: Map<string, MutableDay> }>();
  /** One string per project name: a run keeps these, not the row's own (which may pin its whole line). */
  const projects = new Map<string, string>();
  const interner = createRunInterner();
  const runs: MonthRun[] = [];
  let rows = 0;
  // Rows of one team and day come together in a sorted file: the last group is tried first.
  let last: MutableDay | undefined;
  let lastTeam: { index: number; name: string; days: Map<string, MutableDay> } | undefined;

  const add = (row: RunDay): void => {
    rows++;
    let day = last;
    if (day === undefined || day.date !== row.date || day.team !== row.company_name) {
      let team = teams.get(row.company_name);
      if (team === undefined) {
        team = { index: teams.size, name: row.company_name, days: new Map() };
        teams.set(team.name, team);
      }
      day = team.days.get(row.date);
      if (day === undefined) {
        day = emptyDay(team.name, row.date);
        team.days.set(day.date, day);
        days.push(day);
      }
      last = day;
      lastTeam = team;
    }
    day.rows++;
    if (isDeleted(row)) {
      day.deleted++;
      return;
    }
    if (row.tags.length > 0 && isIgnored(row.tags)) {
      day.ignored++;
      return;
    }
    foldRow(day, row);
    const team = lastTeam!;
    const run = interner.intern(team.index, row.project, row.run_id);
    if (run === runs.length) {
      let project = projects.get(row.project);
      if (project === undefined) {
        project = row.project;
        projects.set(project, project);
      }
      runs.push({ team: team.name, project, runId: row.run_id });
    }
    day.runs.push(run);
  };

  return { add, finish: () => ({ month, rows, runs, days }) };
}

function emptyDay(team: string, date: string): MutableDay {
  return {
    team,
    date,
    rows: 0,
    deleted: 0,
    ignored: 0,
    gpuHours: 0,
    metricsHours: 0,
    sumUtil: 0,
    sumMem: 0,
    busyHours: 0,
    unmeasuredHours: 0,
    maxUtil: null,
    maxMem: null,
    runs: [],
  };
}

/** One counted row into its day's sums (docs/behaviour.md §6, §13): maxima over the non-empty values. */
function foldRow(day: MutableDay, row: RunDay): void {
  const hours = row.duration_hour;
  const gpuHours = hours * (row.gpu_count ?? 0);
  day.gpuHours += gpuHours;
  if (row.average_gpu_utilization !== null) {
    day.metricsHours += hours;
    day.sumUtil += row.average_gpu_utilization * hours;
    day.busyHours += (gpuHours * row.average_gpu_utilization) / 100;
  } else {
    day.unmeasuredHours += gpuHours;
  }
  if (row.average_gpu_memory !== null) day.sumMem += row.average_gpu_memory * hours;
  day.maxUtil = larger(day.maxUtil, row.max_gpu_utilization);
  day.maxMem = larger(day.maxMem, row.max_gpu_memory);
}

export function larger(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return b > a ? b : a;
}
