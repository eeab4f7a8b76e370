import type { Config } from '../config/types.js';
import { compareCodePoints } from '../shared/compare.js';
import { type IsoDate, weekStart } from '../shared/dates.js';
import { roundHalfUp } from '../shared/round.js';
import { isDeleted, type RunDay } from '../shared/run-day.js';
import { ignoreTagMatcher, teamIndex } from './usage-filter.js';

/** One row of the summary table: a team's project over T's week up to T (docs/behaviour.md §6). */
export type SummaryRow = {
  readonly team: string;
  readonly company: string;
  readonly project: string;
  readonly totalHours: number;
  readonly totalRuns: number;
  readonly masterNodeRuns: number;
  readonly overlapRuns: number;
  readonly ignoreRuns: number;
};

type RunFacts = { createdAt: string; updatedAt: string; host: string; isMaster: boolean; isIgnored: boolean };
type ProjectFacts = { company: string; hours: number; runs: Map<string, RunFacts> };

export type SummaryAccumulator = { add(row: RunDay): void; finish(): SummaryRow[] };

/** Collects the week's rows per team and project, ignore-tagged runs included, deleted rows and unknown teams not. */
export function createSummaryAccumulator(config: Config, target: IsoDate): SummaryAccumulator {
  const from = weekStart(target, config.weekStartIndex);
  const companyOf = teamIndex(config.companies);
  const isIgnored = ignoreTagMatcher(config.ignore_tags);
  const projects = new Map<string, ProjectFacts>();

  const add = (row: RunDay): void => {
    if (row.date < from || row.date > target || isDeleted(row)) return;
    const company = companyOf.get(row.company_name);
    if (company === undefined) return;
    const key = `${row.company_name}\u0000${row.project}`;
    let facts = projects.get(key);
    if (!facts) {
      facts = { company, hours: 0, runs: new Map() };
      projects.set(key, facts);
    }
    facts.hours += row.duration_hour * (row.gpu_count ?? 0);
    const isMaster = (row.gpu_count ?? 0) > config.gpus_per_node;
    const run = facts.runs.get(row.run_id);
    if (run) run.isMaster ||= isMaster;
    else {
      facts.runs.set(row.run_id, {
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        host: row.host_name,
        isMaster,
        isIgnored: isIgnored(row.tags),
      });
    }
  };

  const finish = (): SummaryRow[] =>
    [...projects.entries()]
      .map(([key, facts]) => {
        const [team = '', project = ''] = key.split('\u0000');
        const runs = [...facts.runs.entries()];
        return {
          team,
          company: facts.company,
          project,
          totalHours: roundHalfUp(facts.hours, 2),
          totalRuns: runs.length,
          masterNodeRuns: runs.filter(([, r]) => r.isMaster).length,
          overlapRuns: countOverlapRuns(runs),
          ignoreRuns: runs.filter(([, r]) => r.isIgnored).length,
        };
      })
      .sort((a, b) =>
        a.team === b.team ? compareCodePoints(a.project, b.project) : compareCodePoints(a.team, b.team),
      );

  return { add, finish };
}

/**
 * Runs on one host, ordered by created_at (then run id), that start before the latest
 * updated_at among the runs ordered before them: the duplicate-init signature.
 */
function countOverlapRuns(runs: readonly (readonly [string, RunFacts])[]): number {
  const byHost = new Map<string, (readonly [string, RunFacts])[]>();
  for (const entry of runs) {
    const list = byHost.get(entry[1].host) ?? [];
    list.push(entry);
    byHost.set(entry[1].host, list);
  }
  let overlapping = 0;
  for (const list of byHost.values()) {
    list.sort(([ia, a], [ib, b]) => compareCodePoints(a.createdAt, b.createdAt) || compareCodePoints(ia, ib));
    let latestEnd: string | undefined;
    for (const [, run] of list) {
      if (latestEnd !== undefined && run.createdAt < latestEnd) overlapping++;
      if (latestEnd === undefined || run.updatedAt > latestEnd) latestEnd = run.updatedAt;
    }
  }
  return overlapping;
}
