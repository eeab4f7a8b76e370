// `check` right after the nightly job on a generated healthy fleet (docs/behaviour.md §8): it must report exactly the
// duplicate-init groups the fleet was built with whose overlap lies in T-6..T, and nothing else.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../../src/product/checker/types.js';
import { compareCodePoints } from '../../../src/product/shared/compare.js';
import {
  addDays,
  formatLocalTime,
  type IsoDate,
  parseWandbTime,
  startOfLocalDay,
} from '../../../src/product/shared/dates.js';
import type { FleetManifest, SeedRun } from '../../../src/world/fleet/types.js';
import { worldDates, ZONE } from '../../helpers/check-world.js';
import { fixedClock } from '../../helpers/fakes.js';
import { buildFleetWorld, type FleetWorld, fleetConfig } from '../../helpers/fleet-world.js';
import { API_KEY } from '../../helpers/local-wandb.js';
import { type Moto, startMoto } from '../../helpers/moto.js';
import { runCliCaptured } from '../../helpers/run-cli.js';

/** A seed whose fleet has duplicate-init groups inside the 7-day window, on T-7 and earlier. */
const SEED = 11;
const dates = worldDates();

let moto: Moto;
let world: FleetWorld;
let report: CheckReport;
let code: number;

beforeAll(async () => {
  [moto, world] = await Promise.all([startMoto(), buildFleetWorld(dates, SEED)]);
  const group = '/ecs/fleet-check';
  await moto.putLog(group, [...world.jobLog]);
  await writeFile(join(world.dir, 'config.yaml'), fleetConfig(dates, group));
  const result = await runCliCaptured(['check', '--config', 'config.yaml', '--json'], {
    cwd: world.dir,
    env: { ...moto.env, WANDB_BASE_URL: world.server.url, WANDB_API_KEY: API_KEY },
    clock: fixedClock(new Date(dates.now)),
  });
  code = result.code;
  report = JSON.parse(result.stdout) as CheckReport;
}, 60_000);
afterAll(async () => {
  await Promise.all([moto?.stop(), world?.server.close()]);
});

type Group = { team: string; host: string; projects: string[]; runs: string[]; from: string; to: string };
/** With the overlap in epoch ms. */
type Planted = Group & { overlapStart: number; overlapEnd: number };

/**
 * Every planted group with its overlap (while at least two of its runs are live), from the manifest
 * and the seed's run times, as local times.
 */
function plantedGroups(manifest: FleetManifest, runs: readonly SeedRun[]): Planted[] {
  const byKey = new Map(runs.map((r) => [`${r.entity}/${r.project}/${r.name}`, r]));
  const local = (ms: number) => formatLocalTime(ms, ZONE).slice(0, 19);
  return manifest.planted.duplicateGroups.map((g) => {
    const members = g.runs.map((id) => byKey.get(`${g.entity}/${g.project}/${id}`)!);
    const starts = members.map((m) => parseWandbTime(m.createdAt)!).sort((a, b) => a - b);
    const ends = members.map((m) => parseWandbTime(m.heartbeatAt)!).sort((a, b) => a - b);
    // Every rank starts before any ends, so two or more are live from the 2nd start to the 2nd-last end.
    expect(starts.at(-1)!).toBeLessThan(ends[0]!);
    const [from, to] = [starts[1]!, ends.at(-2)!];
    const runIds = [...g.runs].sort();
    return {
      team: g.entity,
      host: g.host,
      projects: [g.project],
      runs: runIds,
      from: local(from),
      to: local(to),
      overlapStart: from,
      overlapEnd: to,
    };
  });
}

/** The groups check must report: those whose overlap meets [T-6 00:00, T+1 00:00) local. */
function expectedGroups(planted: readonly Planted[], target: IsoDate): Group[] {
  const windowStart = startOfLocalDay(addDays(target, -6), ZONE);
  const windowEnd = startOfLocalDay(addDays(target, 1), ZONE);
  return planted
    .filter((g) => g.overlapEnd > windowStart && g.overlapStart < windowEnd)
    .map(({ overlapStart: _s, overlapEnd: _e, ...group }) => group);
}

type Details = {
  team: string;
  host: string;
  projects: string[];
  runs: string[];
  overlap_start: string;
  overlap_end: string;
};

function reportedGroups(findings: CheckReport['findings']): Group[] {
  return findings.map((f) => {
    const d = f.details as Details;
    return {
      team: d.team,
      host: d.host,
      projects: d.projects,
      runs: [...d.runs].sort(),
      from: d.overlap_start,
      to: d.overlap_end,
    };
  });
}

const order = (groups: Group[]) =>
  [...groups].sort((a, b) =>
    compareCodePoints(`${a.from} ${a.team} ${a.host}`, `${b.from} ${b.team} ${b.host}`),
  );

describe('check on a healthy generated fleet after the nightly job', () => {
  it('plants no problem other than duplicate-init groups, some outside the 7-day window', () => {
    const { planted } = world.manifest;
    expect(planted.noGpuRuns).toEqual([]);
    expect(planted.ignoreTaggedRuns).toEqual([]);
    expect(planted.zeroLengthRuns).toEqual([]);
    expect(planted.noMetricsRuns).toEqual([]);
    expect(planted.outsideAllocationRuns).toEqual([]);
    expect(planted.lowUtilizationTeams).toEqual([]);
    const all = plantedGroups(world.manifest, world.runs);
    const expected = expectedGroups(all, dates.T);
    expect(expected.length).toBeGreaterThan(0);
    // One group is on T-7: in the backfilled dataset, but before the window.
    const backfillStart = startOfLocalDay(dates.day(-7), ZONE);
    const inDataset = all.filter((g) => g.overlapEnd > backfillStart);
    expect(inDataset.length).toBeGreaterThan(expected.length);
  });

  it('reports exactly the planted duplicate-init groups overlapping T-6..T, and nothing else', () => {
    const findings = report.findings.map((f) => `${f.check}/${f.kind}/${f.subject ?? ''}`);
    expect(findings.filter((f) => !f.startsWith('duplicate_init/duplicate_init/'))).toEqual([]);
    const expected = expectedGroups(plantedGroups(world.manifest, world.runs), dates.T);
    expect(order(reportedGroups(report.findings))).toEqual(order(expected));
    expect(report.checks).toEqual({
      dashboard: 'ok',
      job_log: 'ok',
      anomalies: 'ok',
      duplicate_init: 'findings',
    });
    expect(report.target_date).toBe(dates.T);
    expect(code).toBe(1);
  });
});
