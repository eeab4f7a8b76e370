import type { Company, Config } from '../config/types.js';
import { addDays, type IsoDate } from './dates.js';

/** A company's allocation: nodes on each day from its first schedule date up to T. */
export type CompanyCalendar = {
  readonly company: string;
  readonly teams: readonly string[];
  /** Grid days (nodes > 0) up to T, ascending, with their node count. */
  readonly grid: ReadonlyMap<IsoDate, number>;
};

/** nodes(d) = assigned_gpu_node of the last schedule entry dated on or before d; 0 before the first. */
export function nodesOn(company: Company, date: IsoDate): number {
  let nodes = 0;
  for (const entry of company.schedule) {
    if (entry.date > date) break;
    nodes = entry.assigned_gpu_node;
  }
  return nodes;
}

/** Names of the companies with nodes on `date`: the ones the dashboard shows for that date. */
export function companiesWithNodesOn(config: Pick<Config, 'companies'>, date: IsoDate): string[] {
  return config.companies.filter((c) => nodesOn(c, date) > 0).map((c) => c.company);
}

function companyCalendar(company: Company, target: IsoDate): CompanyCalendar {
  const grid = new Map<IsoDate, number>();
  const first = company.schedule[0]?.date;
  if (first !== undefined) {
    for (let d = first; d <= target; d = addDays(d, 1)) {
      const nodes = nodesOn(company, d);
      if (nodes > 0) grid.set(d, nodes);
    }
  }
  return { company: company.company, teams: company.teams, grid };
}

export function buildCalendars(config: Config, target: IsoDate): CompanyCalendar[] {
  return config.companies.map((c) => companyCalendar(c, target));
}

/** The allocation window of docs/behaviour.md §4: [first date, last date when its entry has 0 nodes, else open]. */
export function allocationWindow(company: Company): { start: IsoDate; end: IsoDate | undefined } {
  const first = company.schedule[0]!;
  const last = company.schedule[company.schedule.length - 1]!;
  return { start: first.date, end: last.assigned_gpu_node === 0 ? last.date : undefined };
}
