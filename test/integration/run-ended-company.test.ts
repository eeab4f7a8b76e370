// A company whose allocation ended before T still gets its Tables run for a range that covers its
// last days, but without `latest`: the job and `check` agree on which tags the dashboard shows.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWandbClient } from '../../src/product/wandb/client.js';
import { listRuns } from '../../src/product/wandb/runs.js';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { checkAgainst } from '../helpers/check-now.js';
import { API_KEY, startTestServer, tempDir } from '../helpers/local-wandb.js';
import { runCliCaptured } from '../helpers/run-cli.js';

// beta's allocation ends on Jan 8 (0 nodes from then on); the backfill covers Jan 6–9.
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
    schedule: [{ date: "2025-01-01", assigned_gpu_node: 1 }, { date: "2025-01-08", assigned_gpu_node: 0 }]
`;
const run = (entity: string, name: string, createdAt: string, heartbeatAt: string) => ({
  entity,
  project: 'llm',
  name,
  displayName: name,
  state: 'finished',
  tags: [],
  host: `${entity}-node-1`,
  createdAt,
  heartbeatAt,
  runInfo: { gpu: 'NVIDIA H100 80GB HBM3', gpuCount: 8, cpuCount: 32 },
  config: {},
  summaryMetrics: {},
  systemMetrics: [],
});
const SEED = {
  entities: [{ name: 'alpha-team' }, { name: 'beta-team' }, { name: 'dash' }],
  projects: ['alpha-team', 'beta-team', 'dash'].map((entity) => ({
    entity,
    name: entity === 'dash' ? 'board' : 'llm',
    createdAt: '2025-01-01T00:00:00',
  })),
  runs: [
    run('alpha-team', 'a1', '2025-01-09T00:00:00', '2025-01-09T06:00:00'),
    run('beta-team', 'b1', '2025-01-06T00:00:00', '2025-01-06T06:00:00'),
  ],
};

describe('run: a company whose allocation ended before T', () => {
  let dir: string;
  let server: LocalWandb;
  beforeAll(async () => {
    dir = await tempDir('run-ended-');
    await writeFile(join(dir, 'config.yaml'), CONFIG);
    await writeFile(join(dir, 'seed.json'), JSON.stringify(SEED));
    server = await startTestServer({ seed: join(dir, 'seed.json') });
    const result = await runCliCaptured(
      [
        'run',
        '--config',
        'config.yaml',
        '--start-date',
        '2025-01-06',
        '--end-date',
        '2025-01-09',
        '--out',
        'out',
      ],
      { cwd: dir, env: { WANDB_BASE_URL: server.url, WANDB_API_KEY: API_KEY } },
    );
    expect(result.code, result.stderr).toBe(0);
  }, 60_000);
  afterAll(() => server?.close());

  it('publishes its Tables run without latest', async () => {
    const wandb = createWandbClient({ baseUrl: server.url, apiKey: API_KEY });
    const tables = await listRuns(wandb, {
      entity: 'dash',
      project: 'board',
      filters: { jobType: 'update-table' },
    });
    expect(tables.map((r) => [r.displayName, [...r.tags].sort()]).sort()).toEqual([
      ['Tables_2025-01-09', ['alpha', 'latest']],
      ['Tables_2025-01-09', ['beta']],
      ['Tables_2025-01-09', ['latest', 'overall']],
    ]);
    const report = JSON.parse(await readFile(join(dir, 'out', 'run-report.json'), 'utf8'));
    expect(report.published.map((p: { tag: string; latest: boolean }) => [p.tag, p.latest])).toEqual([
      ['overall', true],
      ['alpha', true],
      ['beta', false],
    ]);
  });

  it('leaves check with no dashboard finding', async () => {
    const report = await checkAgainst(
      server,
      API_KEY,
      join(dir, 'config.yaml'),
      '2025-01-09',
      '2025-01-10T05:00:00Z',
    );
    expect(report.findings.filter((f) => f.check === 'dashboard')).toEqual([]);
  });
});
