import { createZoneClock, type ZoneClock } from '../seed/zone.js';
import type { PlannedRun, TeamInput } from './team-runs.js';
import type { FleetManifest, PlantedManifest, RunRef } from './types.js';

/** Accumulates the manifest while runs stream past, so it never holds the runs themselves. */
export type ManifestBuilder = {
  add(team: TeamInput, planned: PlannedRun): void;
  finish(): FleetManifest;
};

export type ManifestHeader = Omit<FleetManifest, 'planted' | 'counts'> & {
  readonly counts: Omit<FleetManifest['counts'], 'runs'>;
  readonly excludedProjects: PlantedManifest['excludedProjects'];
  readonly lowUtilizationTeams: string[];
};

type Group = PlantedManifest['duplicateGroups'][number];

const MULTI_DAY_SEC = 48 * 3600;

export function createManifestBuilder(header: ManifestHeader): ManifestBuilder {
  const clock: ZoneClock = createZoneClock(header.timezone);
  const planted: PlantedManifest = {
    duplicateGroups: [],
    noGpuRuns: [],
    ignoreTaggedRuns: [],
    zeroLengthRuns: [],
    noMetricsRuns: [],
    staleUpdatedAtRuns: [],
    crossMidnightRuns: [],
    multiDayRuns: [],
    outsideAllocationRuns: [],
    ruleFedRuns: [],
    excludedProjects: header.excludedProjects,
    lowUtilizationTeams: header.lowUtilizationTeams,
    utilizationDrops: [],
  };
  const groups = new Map<string, Group>();
  const intervals = new Map<Group, { starts: number[]; ends: number[] }>();
  let runs = 0;
  return {
    add(team, planned) {
      runs++;
      const { run } = planned;
      const ref: RunRef = { entity: run.entity, project: run.project, run: run.name };
      if (planned.duplicateGroup !== undefined) {
        const key = `${run.entity}\u0000${planned.duplicateGroup}`;
        const group = groups.get(key) ?? {
          entity: run.entity,
          project: run.project,
          host: run.host,
          runs: [],
          overlap: { start: 0, end: 0 },
        };
        if (group.runs.length === 0) {
          groups.set(key, group);
          intervals.set(group, { starts: [], ends: [] });
          planted.duplicateGroups.push(group);
        }
        group.runs.push(run.name);
        intervals.get(group)?.starts.push(planned.createdSec);
        intervals.get(group)?.ends.push(planned.endSec);
      }
      if (planned.noGpu) planted.noGpuRuns.push({ ...ref, runInfo: planned.noGpu });
      if (planned.ignoreTagged) planted.ignoreTaggedRuns.push(ref);
      if (planned.noMetrics) {
        planted.noMetricsRuns.push({ ...ref, createdSec: planned.createdSec, endSec: planned.endSec });
      }
      if (planned.staleUpdatedAt) planted.staleUpdatedAtRuns.push(ref);
      const { createdSec, endSec } = planned;
      if (createdSec === endSec) planted.zeroLengthRuns.push(ref);
      if (clock.dayNumber(createdSec) !== clock.dayNumber(endSec)) planted.crossMidnightRuns.push(ref);
      if (endSec - createdSec > MULTI_DAY_SEC) planted.multiDayRuns.push(ref);
      // docs/behaviour.md §4: the interval must touch a local date of [allocStart, allocEnd).
      if (endSec < team.allocStart || createdSec >= team.allocEnd) planted.outsideAllocationRuns.push(ref);
      if (planned.ruleFed) {
        const { rule, expectedGpuCount } = planned.ruleFed;
        planted.ruleFedRuns.push({ ...ref, rule, nodes: planned.nodes, expectedGpuCount });
      }
    },
    finish() {
      // Every rank starts before any ends, so two or more are live from the 2nd start to the 2nd-last end.
      for (const [group, { starts, ends }] of intervals) {
        starts.sort((a, b) => a - b);
        ends.sort((a, b) => a - b);
        group.overlap = { start: starts[1] ?? 0, end: ends.at(-2) ?? 0 };
      }
      const { excludedProjects: _e, lowUtilizationTeams: _l, ...rest } = header;
      return { ...rest, counts: { ...header.counts, runs }, planted };
    },
  };
}
