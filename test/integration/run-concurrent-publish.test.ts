// Publishing runs concurrently (every company's Tables run at once, within the client's bound). Under
// a server that fails 20 % of requests the board ends exactly as a fault-free server's, night after
// night, with exactly one run per tag holding `latest`.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/product/shared/dates.js';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { type Board, readBoard } from '../helpers/board-state.js';
import { type FleetJobWorld, runFleetJob, serveAgain, startFleetJobWorld } from '../helpers/fleet-job.js';
import { API_KEY } from '../helpers/local-wandb.js';

const COMPANIES = ['abeja-geniac', 'stockmark-geniac', 'kotoba-geniac', 'sakana-geniac', 'elyza-geniac'];
const CONFIG = `
timezone: Asia/Tokyo
max_workers: 4
dashboard: { entity: geniac-gpu, project: gpu-dashboard2, tag_for_latest: latest }
dataset: { entity: geniac-gpu, project: gpu-dashboard2, artifact_name: all_runs_data }
companies:
${COMPANIES.map((c, i) => `  - company: ${c}\n    teams: [${c}]\n    schedule: [{ date: "2025-01-01", assigned_gpu_node: ${i + 1} }]`).join('\n')}
`;
const END = '2025-03-10' as IsoDate;
const NIGHTS = [
  { now: '2025-03-09T18:00:00Z', args: ['--end-date', '2025-03-09'] },
  { now: '2025-03-10T18:00:00Z', args: ['--end-date', '2025-03-10'] },
];
const OUT_FILES = ['dataset.csv', 'daily.csv', 'weekly.csv', 'monthly.csv', 'overall.csv', 'summary.csv'];
const TARGET = {
  entity: 'geniac-gpu',
  project: 'gpu-dashboard2',
  artifact: 'all_runs_data',
  latestTag: 'latest',
};

describe('run: concurrent publishing under faults', () => {
  let world: FleetJobWorld;
  let faulty: LocalWandb;
  const boards: Record<'clean' | 'faulty', Board | undefined> = { clean: undefined, faulty: undefined };

  beforeAll(async () => {
    world = await startFleetJobWorld(CONFIG, { seed: 15, days: 10, endDate: END });
    faulty = await serveAgain(world, { faultRate: 0.2, faultSeed: 15, retryAfterSeconds: 0 });
    for (const [name, server] of [
      ['clean', world.server],
      ['faulty', faulty],
    ] as const) {
      for (const [i, night] of NIGHTS.entries()) {
        const result = await runFleetJob(world, night.now, [...night.args, '--out', `${name}-${i}`], server);
        expect(result.code, result.stderr).toBe(0);
      }
      boards[name] = await readBoard(server.url, API_KEY, TARGET);
    }
  }, 240_000);
  afterAll(async () => {
    await faulty?.close();
    await world?.server.close();
  });

  it('had faults to retry, and every company in the fleet', () => {
    expect(faulty.stats().faultsInjected).toBeGreaterThan(10);
    const teams = new Set(world.runs.map((r) => r.entity));
    for (const company of COMPANIES) expect(teams.has(company), company).toBe(true);
  });

  it('writes the same dataset and tables as the fault-free server', async () => {
    for (const night of NIGHTS.keys()) {
      for (const file of OUT_FILES) {
        expect(await readFile(join(world.dir, `faulty-${night}`, file), 'utf8'), `${night} ${file}`).toBe(
          await readFile(join(world.dir, `clean-${night}`, file), 'utf8'),
        );
      }
    }
  });

  it('leaves the same board: runs, files, summaries, dataset versions and latest holders', () => {
    const clean = boards.clean!;
    const fault = boards.faulty!;
    expect(fault.versions).toEqual(clean.versions);
    expect(fault.shown).toEqual(clean.shown);
    expect(Object.keys(fault.tables).sort()).toEqual(Object.keys(clean.tables).sort());
    for (const [name, run] of Object.entries(clean.tables)) {
      expect(fault.tables[name], name).toEqual(run);
    }
  });

  it('has exactly one run per tag holding latest, all of the newest night', () => {
    for (const board of [boards.clean!, boards.faulty!]) {
      const tags = board.latest.flatMap((r) => r.tags);
      expect(tags.sort()).toEqual(['overall', ...COMPANIES].sort());
      expect(new Set(board.shown.map((s) => s.target))).toEqual(new Set(['2025-03-10']));
      // One file-stream post per Tables run: history, summary and its end in one request.
      for (const run of Object.values(board.tables)) expect(run.state).toBe('finished');
    }
  });
});
