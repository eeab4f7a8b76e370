// `run --company NAME` backfills some companies: only their runs are fetched, every other row of the
// dataset stays byte for byte, and the tables still come from the whole merged dataset.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { fixedClock } from '../helpers/fakes.js';
import { API_KEY, startTestServer, tempDir } from '../helpers/local-wandb.js';
import { runCliCaptured } from '../helpers/run-cli.js';

const CONFIG = `
timezone: Asia/Tokyo
dashboard: { entity: dash, project: board, tag_for_latest: latest }
dataset: { entity: dash, project: board, artifact_name: all_runs_data }
companies:
  - company: alpha
    teams: [alpha-team]
    schedule: [{ date: "2025-01-01", assigned_gpu_node: 1 }]
  - company: beta
    teams: [beta-team]
    schedule: [{ date: "2025-01-01", assigned_gpu_node: 1 }]
`;
const run = (entity: string, name: string, createdAt: string, heartbeatAt: string) => ({
  entity,
  project: 'llm',
  name,
  displayName: name,
  state: 'finished',
  tags: [],
  host: `${entity}-${name}`,
  createdAt,
  heartbeatAt,
  runInfo: { gpu: 'NVIDIA H100 80GB HBM3', gpuCount: 8, cpuCount: 32 },
  config: {},
  summaryMetrics: {},
  systemMetrics: [],
});
// Times are UTC; Tokyo is UTC+9, so each run lies within one local day (Jan 8 or Jan 9).
const SEED = {
  entities: [{ name: 'alpha-team' }, { name: 'beta-team' }, { name: 'dash' }],
  projects: ['alpha-team', 'beta-team', 'dash'].map((entity) => ({
    entity,
    name: entity === 'dash' ? 'board' : 'llm',
    createdAt: '2025-01-01T00:00:00',
  })),
  runs: [
    run('alpha-team', 'a8', '2025-01-08T00:00:00', '2025-01-08T04:00:00'),
    run('alpha-team', 'a9', '2025-01-09T00:00:00', '2025-01-09T06:00:00'),
    run('beta-team', 'b8', '2025-01-08T00:00:00', '2025-01-08T02:00:00'),
    run('beta-team', 'b9', '2025-01-09T00:00:00', '2025-01-09T03:00:00'),
  ],
};

describe('run --company: a backfill of one company', () => {
  let dir: string;
  let server: LocalWandb;
  const cli = (args: string[]) =>
    runCliCaptured(['run', '--config', 'config.yaml', ...args], {
      cwd: dir,
      env: { WANDB_BASE_URL: server.url, WANDB_API_KEY: API_KEY },
      // The nightly job runs on Jan 10, 03:00 Tokyo.
      clock: fixedClock('2025-01-09T18:00:00Z'),
    });
  const lines = async (file: string) => (await readFile(join(dir, file), 'utf8')).trimEnd().split('\n');

  beforeAll(async () => {
    dir = await tempDir('run-company-');
    await writeFile(join(dir, 'config.yaml'), CONFIG);
    await writeFile(join(dir, 'seed.json'), JSON.stringify(SEED));
    server = await startTestServer({ seed: join(dir, 'seed.json') });
    const nightly = await cli(['--end-date', '2025-01-09', '--out', 'nightly']);
    expect(nightly.code, nightly.stderr).toBe(0);
    const backfill = await cli([
      '--company',
      'alpha',
      '--start-date',
      '2025-01-08',
      '--end-date',
      '2025-01-09',
      '--out',
      'backfill',
    ]);
    expect(backfill.code, backfill.stderr).toBe(0);
  }, 90_000);
  afterAll(() => server?.close());

  it('fetched only alpha: its Jan 8 run joins the dataset, beta’s Jan 8 run does not', async () => {
    const nightly = await lines('nightly/dataset.csv');
    const backfill = await lines('backfill/dataset.csv');
    const runIds = (rows: string[]) =>
      rows.filter((l) => /,(a8|a9|b8|b9),/.test(l)).map((l) => /,(a8|a9|b8|b9),/.exec(l)?.[1]);
    expect(runIds(nightly).sort()).toEqual(['a9', 'b9']);
    expect(runIds(backfill).sort()).toEqual(['a8', 'a9', 'b9']);
  });

  it('keeps every other company’s row byte for byte', async () => {
    const beta = (rows: string[]) => rows.filter((l) => l.includes('beta-team'));
    const before = beta(await lines('nightly/dataset.csv'));
    expect(before).toHaveLength(1);
    expect(beta(await lines('backfill/dataset.csv'))).toEqual(before);
  });

  it('computes the tables from the whole merged dataset (beta still in them)', async () => {
    const daily = await lines('backfill/daily.csv');
    const betaJan9 = daily.filter((l) => l.includes('beta') && l.includes('2025-01-09'));
    expect(betaJan9).toHaveLength(1);
    expect(betaJan9).toEqual(
      (await lines('nightly/daily.csv')).filter((l) => l.includes('beta') && l.includes('2025-01-09')),
    );
  });

  it('exits 2 naming a company the config does not have', async () => {
    const { code, stderr } = await cli(['--company', 'gamma', '--end-date', '2025-01-09', '--dry-run']);
    expect(code).toBe(2);
    expect(stderr).toContain('--company: "gamma" not in the config (companies: alpha, beta)');
  });
});
