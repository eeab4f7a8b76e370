// A run whose history W&B answers with HTTP 500 every time (as it does for some runs) costs that run's
// metrics only: the night goes on, the run keeps its rows with empty metrics, and is reported.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/product/shared/dates.js';
import type { SeedRun } from '../../src/world/fleet/types.js';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { checkAgainst } from '../helpers/check-now.js';
import {
  FLEET_CONFIG,
  FLEET_TEAMS,
  type FleetJobWorld,
  runFleetJob,
  serveAgain,
  startFleetJobWorld,
} from '../helpers/fleet-job.js';
import { API_KEY } from '../helpers/local-wandb.js';

const T = '2025-03-09' as IsoDate;
const NOW = '2025-03-10T03:00:00Z';
const utc = (text: string) => Date.parse(`${text}Z`);
const METRICS = ['average_gpu_utilization', 'average_gpu_memory', 'max_gpu_utilization', 'max_gpu_memory'];

/** A run the job counts on T (Asia/Tokyo: Mar 8 15:00Z – Mar 9 15:00Z) that has GPU metrics. */
function victimOf(runs: readonly SeedRun[]): SeedRun {
  const [victim] = runs
    .filter((r) => FLEET_TEAMS.has(r.entity) && (r.runInfo?.gpu ?? '') !== '' && 'systemMetricsPattern' in r)
    .filter(
      (r) => utc(r.createdAt) < utc('2025-03-09T15:00:00') && utc(r.heartbeatAt) > utc('2025-03-08T15:00:00'),
    )
    .filter((r) => !r.tags.some((t) => /other/i.test(t)))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  if (!victim) throw new Error('the fleet has no run with metrics on T');
  return victim;
}

type Row = Record<string, string>;
const readRows = async (dir: string): Promise<Row[]> =>
  parse(await readFile(join(dir, 'dataset.csv')), { columns: true });

describe('run: a run whose history always answers 500', () => {
  let world: FleetJobWorld;
  let control: LocalWandb;
  let victim: SeedRun;
  let faulty: Awaited<ReturnType<typeof runFleetJob>>;
  beforeAll(async () => {
    world = await startFleetJobWorld(
      FLEET_CONFIG,
      { seed: 7, days: 21, endDate: '2025-03-10' as IsoDate },
      (runs) => {
        victim = victimOf(runs);
        return { failingHistory: [victim.name] };
      },
    );
    control = await serveAgain(world);
    const args = ['--start-date', T, '--end-date', T];
    faulty = await runFleetJob(world, NOW, [...args, '--out', 'faulty']);
    const clean = await runFleetJob(world, NOW, [...args, '--out', 'clean'], control);
    expect(clean.code, clean.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await world?.server.close();
    await control?.close();
  });

  it('exits 0, logs and reports the run', async () => {
    expect(faulty.code, faulty.stderr).toBe(0);
    const failed = faulty.stderr
      .split('\n')
      .filter((l) => l.includes('"tracker.metrics_failed"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(failed.map((l) => l.run_id)).toEqual([victim.name]);
    const report = JSON.parse(await readFile(join(world.dir, 'faulty', 'run-report.json'), 'utf8'));
    expect(report.tracker.metrics_failed).toEqual([
      {
        team: victim.entity,
        project: victim.project,
        run_id: victim.name,
        error: expect.stringContaining('500'),
      },
    ]);
  });

  it("keeps the run's rows with empty metrics and every other row as a fault-free run has it", async () => {
    const [bad, good] = [await readRows(join(world.dir, 'faulty')), await readRows(join(world.dir, 'clean'))];
    const mine = (rows: Row[]) => rows.filter((r) => r.run_id === victim.name);
    expect(mine(good).length).toBeGreaterThan(0);
    expect(mine(good).some((r) => r.average_gpu_utilization !== '')).toBe(true);
    expect(mine(bad).map((r) => r.date)).toEqual(mine(good).map((r) => r.date));
    for (const row of mine(bad)) for (const column of METRICS) expect(row[column], column).toBe('');
    const others = (rows: Row[]) => rows.filter((r) => r.run_id !== victim.name);
    expect(others(bad)).toEqual(others(good));
  });

  it('shows up in check as a no-metrics finding', async () => {
    const report = await checkAgainst(
      world.server,
      API_KEY,
      join(world.dir, 'config.yaml'),
      T,
      '2025-03-10T05:00:00Z',
    );
    const noMetrics = report.findings.filter((f) => f.kind === 'no_metrics');
    expect(noMetrics.flatMap((f) => (f.details?.runs as string[]) ?? [])).toContain(
      `${victim.project}/${victim.name}`,
    );
  });
});
