// The month-end statement (docs/behaviour.md §13): per company and month M, its allocation and how it was
// used, from the same grid days and rows as the usage tables, so its totals are the monthly row's.
import {
  type DuplicateGroup,
  findDuplicateGroups,
  type IntervalRun,
  intervalRunOf,
} from '../alert/duplicate-init.js';
import type { Config } from '../config/types.js';
import { nodesOn } from '../shared/calendar.js';
import { compareCodePoints } from '../shared/compare.js';
import { dateRange, type IsoDate, monthOf, monthStart } from '../shared/dates.js';
import { roundHalfUp } from '../shared/round.js';
import type { RunDay } from '../shared/run-day.js';
import {
  type CountedRowCompany,
  countedRowCompany,
  createGroupedUsage,
  type GroupUsage,
} from './grouped-usage.js';
import type { UsageRow } from './periods.js';
import { runKey } from './usage-filter.js';
import { userOf } from './user-usage.js';

/** GPU-hours of one project or user in the month (uncapped, 2 decimals), busy GPU-hours and runs. */
export type StatementLine = {
  readonly name: string;
  readonly gpuHour: number;
  readonly busyGpuHour: number;
  readonly nRuns: number;
};

export type Statement = {
  readonly company: string;
  /** YYYY-MM. */
  readonly month: string;
  /** The last day it covers: the month's last day, or T while the month runs. */
  readonly through: IsoDate;
  /** The IANA zone of its dates and run times. */
  readonly zone: string;
  /** Nodes by schedule: the count on the month's first day, then each change within the month. */
  readonly schedule: readonly { readonly from: IsoDate; readonly nodes: number }[];
  /** The monthly table's row of the company and month; undefined without a grid day in it up to `through`. */
  readonly totals: UsageRow | undefined;
  readonly projects: readonly StatementLine[];
  readonly users: readonly StatementLine[];
  readonly duplicates: readonly DuplicateGroup[];
  /** Grid days of the month up to `through` with no GPU-hours. */
  readonly daysWithoutUse: readonly IsoDate[];
};

/**
 * Collects the rows of T's month (counted rows on grid days, as the usage tables count them) for every
 * company's statement; `finish` takes the tables computed for T, whose monthly rows are the totals.
 */
export function createStatementBuilder(
  config: Config,
  target: IsoDate,
  companyOf: CountedRowCompany = countedRowCompany(config, target),
) {
  const from = monthStart(target);
  const multiTeam = new Set(config.companies.filter((c) => c.teams.length > 1).map((c) => c.company));
  const projects = createGroupedUsage(companyOf, target, from, (row) =>
    multiTeam.has(companyOf(row) ?? '') ? `${row.company_name}/${row.project}` : row.project,
  );
  const users = createGroupedUsage(companyOf, target, from, userOf);
  const runs = new Map<string, { company: string; run: IntervalRun }>();
  const add = (row: RunDay): void => {
    if (row.date < from || row.date > target) return;
    projects.add(row);
    users.add(row);
    const company = companyOf(row);
    const key = runKey(row);
    if (company === undefined || runs.has(key)) return;
    runs.set(key, { company, run: intervalRunOf(row, config.timezone) });
  };
  const finish = (monthly: readonly UsageRow[], daily: readonly UsageRow[]): Statement[] => {
    const month = monthOf(target);
    const byProject = linesByCompany(projects.finish());
    const byUser = linesByCompany(users.finish());
    const teamCompany = new Map([...runs.values()].map(({ company, run }) => [run.team, company] as const));
    const duplicates = findDuplicateGroups([...runs.values()].map((r) => r.run));
    const days = dateRange(from, target);
    return config.companies
      .filter((c) => days.some((d) => nodesOn(c, d) > 0))
      .map((c) => ({
        company: c.company,
        month,
        through: target,
        zone: config.timezone,
        schedule: scheduleOf(days, (d) => nodesOn(c, d)),
        totals: monthly.find((r) => r.company === c.company && r.period === month),
        projects: byProject.get(c.company) ?? [],
        users: byUser.get(c.company) ?? [],
        duplicates: duplicates.filter((g) => teamCompany.get(g.team) === c.company),
        daysWithoutUse: daily
          .filter((r) => r.company === c.company && r.period?.startsWith(month) && r.totalGpuHour === 0)
          .map((r) => r.period as IsoDate)
          .sort(),
      }));
  };
  return { add, finish };
}

function scheduleOf(days: readonly IsoDate[], nodesOf: (d: IsoDate) => number) {
  const schedule: { from: IsoDate; nodes: number }[] = [];
  for (const day of days) {
    const nodes = nodesOf(day);
    if (schedule.at(-1)?.nodes !== nodes) schedule.push({ from: day, nodes });
  }
  return schedule;
}

/** Lines per company, GPU-hours descending as shown, then name. */
function linesByCompany(groups: readonly GroupUsage[]): Map<string, StatementLine[]> {
  const lines = new Map<string, StatementLine[]>();
  for (const g of groups) {
    const line = {
      name: g.key,
      gpuHour: roundHalfUp(g.gpuHours, 2),
      busyGpuHour: roundHalfUp(g.busyHours, 2),
      nRuns: g.nRuns,
    };
    const list = lines.get(g.company);
    if (list) list.push(line);
    else lines.set(g.company, [line]);
  }
  for (const list of lines.values())
    list.sort((a, b) => b.gpuHour - a.gpuHour || compareCodePoints(a.name, b.name));
  return lines;
}
