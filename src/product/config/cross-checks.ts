import { isIsoDate } from '../shared/dates.js';
import type { ConfigIssue } from './types.js';

/**
 * Checks that span several entries (schedule order, a team under two companies, repeated
 * company names). They read the raw YAML value defensively so they run even when the
 * schema found other problems: every issue is reported at once.
 */
export function crossCheckConfig(raw: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const companies = field(raw, 'companies');
  if (!Array.isArray(companies)) return issues;

  const teamOwner = new Map<string, number>();
  const companyIndex = new Map<string, number>();
  companies.forEach((company: unknown, ci) => {
    const name = field(company, 'company');
    if (typeof name === 'string') {
      const first = companyIndex.get(name);
      if (first !== undefined)
        issues.push({
          path: `companies[${ci}].company`,
          message: `duplicate company "${name}" (also companies[${first}])`,
        });
      else companyIndex.set(name, ci);
    }
    const teams = field(company, 'teams');
    if (Array.isArray(teams)) {
      teams.forEach((team: unknown, ti) => {
        if (typeof team !== 'string') return;
        const first = teamOwner.get(team);
        if (first !== undefined && first !== ci) {
          issues.push({
            path: `companies[${ci}].teams[${ti}]`,
            message: `team "${team}" is already listed under companies[${first}]`,
          });
        } else teamOwner.set(team, ci);
      });
    }
    const schedule = field(company, 'schedule');
    if (Array.isArray(schedule)) {
      let previous: string | undefined;
      schedule.forEach((entry: unknown, si) => {
        const date = field(entry, 'date');
        if (typeof date !== 'string' || !isIsoDate(date)) return;
        if (previous !== undefined && date <= previous) {
          issues.push({
            path: `companies[${ci}].schedule[${si}].date`,
            message: `schedule must be sorted by date with no repeats (${date} follows ${previous})`,
          });
        }
        previous = date;
      });
    }
  });
  return issues;
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}
