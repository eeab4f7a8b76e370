import type { RunDay } from '../shared/run-day.js';

/** Ignore tags compare case-insensitively (docs/behaviour.md §4, §6). */
export function ignoreTagMatcher(ignoreTags: readonly string[]): (tags: readonly string[]) => boolean {
  const lowered = new Set(ignoreTags.map((t) => t.toLowerCase()));
  return (tags) => tags.some((t) => lowered.has(t.toLowerCase()));
}

export type TeamIndex = ReadonlyMap<string, string>;

/** team (W&B entity) → company name, from the config. */
export function teamIndex(companies: readonly { company: string; teams: readonly string[] }[]): TeamIndex {
  return new Map(companies.flatMap((c) => c.teams.map((t) => [t, c.company] as const)));
}

export function runKey(row: Pick<RunDay, 'company_name' | 'project' | 'run_id'>): string {
  return `${row.company_name}\u0000${row.project}\u0000${row.run_id}`;
}
