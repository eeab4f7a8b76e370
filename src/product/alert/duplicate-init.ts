import { compareCodePoints } from '../shared/compare.js';
import { parseLocalTime } from '../shared/dates.js';
import type { RunDay } from '../shared/run-day.js';
import type { Alert } from './types.js';

/** What duplicate-init detection needs of a run; times are epoch ms. */
export type IntervalRun = {
  readonly team: string;
  readonly project: string;
  readonly runId: string;
  readonly host: string;
  readonly start: number;
  readonly end: number;
};

/** A dataset row's run as duplicate-init detection sees it (its local times read in `zone`). */
export function intervalRunOf(row: RunDay, zone: string): IntervalRun {
  return {
    team: row.company_name,
    project: row.project,
    runId: row.run_id,
    host: row.host_name,
    start: parseLocalTime(row.created_at, zone) ?? Number.NaN,
    end: parseLocalTime(row.updated_at, zone) ?? Number.NaN,
  };
}

/** Runs of one team on one host whose intervals overlap: wandb.init called once per rank. */
export type DuplicateGroup = {
  readonly team: string;
  readonly host: string;
  readonly projects: readonly string[];
  readonly runIds: readonly string[];
  /** From the first moment two of the runs overlap to the last. */
  readonly overlapStart: number;
  readonly overlapEnd: number;
};

/**
 * Groups overlapping runs per (team, host): runs sorted by start join the current group while
 * they start before the group's latest end. Runs without a host or with no length are skipped.
 */
export function findDuplicateGroups(runs: readonly IntervalRun[]): DuplicateGroup[] {
  const byHost = new Map<string, IntervalRun[]>();
  for (const run of runs) {
    if (!run.host || !(run.end > run.start)) continue;
    const key = `${run.team}\u0000${run.host}`;
    const list = byHost.get(key) ?? [];
    list.push(run);
    byHost.set(key, list);
  }
  const groups: DuplicateGroup[] = [];
  for (const list of byHost.values()) {
    list.sort((a, b) => a.start - b.start || (a.runId < b.runId ? -1 : 1));
    let current: IntervalRun[] = [];
    let latestEnd = Number.NEGATIVE_INFINITY;
    const close = () => {
      if (current.length > 1) groups.push(describe(current));
      current = [];
    };
    for (const run of list) {
      if (run.start >= latestEnd) {
        close();
        latestEnd = Number.NEGATIVE_INFINITY;
      }
      current.push(run);
      latestEnd = Math.max(latestEnd, run.end);
    }
    close();
  }
  return groups.sort(
    (a, b) =>
      compareCodePoints(a.team, b.team) ||
      compareCodePoints(a.host, b.host) ||
      a.overlapStart - b.overlapStart,
  );
}

function describe(runs: readonly IntervalRun[]): DuplicateGroup {
  // Sweep the starts and ends to find when at least two runs are live.
  const events = runs
    .flatMap(
      (r) =>
        [
          [r.start, 1],
          [r.end, -1],
        ] as const,
    )
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let live = 0;
  let overlapStart = Number.POSITIVE_INFINITY;
  let overlapEnd = Number.NEGATIVE_INFINITY;
  for (const [time, delta] of events) {
    const before = live;
    live += delta;
    if (before < 2 && live >= 2) overlapStart = Math.min(overlapStart, time);
    if (before >= 2 && live < 2) overlapEnd = Math.max(overlapEnd, time);
  }
  return {
    team: runs[0]!.team,
    host: runs[0]!.host,
    projects: [...new Set(runs.map((r) => r.project))].sort(),
    runIds: runs.map((r) => r.runId),
    overlapStart,
    overlapEnd,
  };
}

export const DUPLICATE_INIT_TITLE = 'Duplicate wandb.init runs found.';

export function duplicateInitAlert(
  groups: readonly DuplicateGroup[],
  formatTime: (ms: number) => string,
): Alert | undefined {
  if (groups.length === 0) return undefined;
  const lines = groups.map(
    (g) =>
      `${g.team} ${g.projects.join(',')} host ${g.host}: ${g.runIds.length} runs (${g.runIds.join(', ')}) overlapping ${formatTime(g.overlapStart)} – ${formatTime(g.overlapEnd)}`,
  );
  return { title: DUPLICATE_INIT_TITLE, text: lines.join('\n'), severity: 'WARN' };
}
