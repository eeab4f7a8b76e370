import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { ORIGINAL_HEADER } from '../helpers/dataset-header.js';
import { API_KEY, gql, startTestServer, tempDir } from '../helpers/local-wandb.js';
import { runCliCaptured } from '../helpers/run-cli.js';

const CONFIG = `
dashboard: { entity: dash, project: board }
dataset: { entity: dash, project: board, artifact_name: all_runs_data }
companies:
  - company: alpha
    teams: [alpha-team]
    schedule: [{ date: "2025-01-08", assigned_gpu_node: 1 }]
`;
const HEADER = ORIGINAL_HEADER;
const seed = (csv: string) => ({
  entities: [{ name: 'alpha-team' }, { name: 'dash' }],
  projects: [{ entity: 'dash', name: 'board', createdAt: '2025-01-01T00:00:00' }],
  runs: [],
  artifacts: [
    {
      entity: 'dash',
      project: 'board',
      name: 'all_runs_data',
      type: 'dataset',
      files: { 'all_runs_data.csv': csv },
    },
  ],
});

async function start(csv: string): Promise<{ server: LocalWandb; dir: string }> {
  const dir = await tempDir('fail-closed-');
  await writeFile(join(dir, 'config.yaml'), CONFIG);
  await writeFile(join(dir, 'seed.json'), JSON.stringify(seed(csv)));
  return { server: await startTestServer({ seed: join(dir, 'seed.json') }), dir };
}

async function boardState(url: string): Promise<{ runs: number; version: number }> {
  const res = await gql(
    url,
    `{ project(name: "board", entityName: "dash") { runs(first: 50) { edges { node { name } } } artifact(name: "all_runs_data:latest") { versionIndex } } }`,
  );
  const project = res.body.data?.project as {
    runs: { edges: unknown[] };
    artifact: { versionIndex: number };
  };
  return { runs: project.runs.edges.length, version: project.artifact.versionIndex };
}

describe('an unreadable prior dataset artifact', () => {
  let env: { server: LocalWandb; dir: string };
  beforeAll(async () => {
    env = await start(
      `${HEADER}\n2025-01-08,alpha-team,p,r0,[],2025-01-08T10:00:00,2025-01-08T20:00:00,finished,ten,8,,,,,h,2025-01-09T00:15:00\n`,
    );
  });
  afterAll(async () => env.server.close());

  it('stops the job with exit 1 before anything is published, and names the bad line', async () => {
    const result = await runCliCaptured(
      ['run', '--end-date', '2025-01-09', '--start-date', '2025-01-09', '--config', 'config.yaml'],
      {
        cwd: env.dir,
        env: { WANDB_BASE_URL: env.server.url, WANDB_API_KEY: API_KEY },
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/all_runs_data\.csv \(line 2, column duration_hour\): not a number: "ten"/);
    expect(await boardState(env.server.url)).toEqual({ runs: 0, version: 0 });
  });
});

describe('--dry-run', () => {
  let env: { server: LocalWandb; dir: string };
  beforeAll(async () => {
    env = await start(
      `${HEADER}\n2025-01-08,alpha-team,p,r0,[],2025-01-08T10:00:00,2025-01-08T20:00:00,finished,10.0,8,,,,,h,2025-01-09T00:15:00\n`,
    );
  });
  afterAll(async () => env.server.close());

  it('computes and writes --out but publishes nothing', async () => {
    const result = await runCliCaptured(
      [
        'run',
        '--end-date',
        '2025-01-08',
        '--start-date',
        '2025-01-08',
        '--dry-run',
        '--out',
        'out',
        '--config',
        'config.yaml',
      ],
      {
        cwd: env.dir,
        env: { WANDB_BASE_URL: env.server.url, WANDB_API_KEY: API_KEY },
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(await boardState(env.server.url)).toEqual({ runs: 0, version: 0 });
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(join(env.dir, 'out', 'daily.csv'), 'utf8')).split('\n')[1]).toBe(
      // 80 GPU h without metrics: all unmeasured, 192 − 80 = 112 idle.
      'alpha,2025-01-08,80.0,41.7,0.0,0.0,0.0,0.0,1,1,192,80.0,0.0,0.0,112.0,80.0,0.0',
    );
  });

  it('without an API key exits 2 with a clear message', async () => {
    const result = await runCliCaptured(['run', '--dry-run', '--config', 'config.yaml'], {
      cwd: env.dir,
      env: { WANDB_BASE_URL: env.server.url },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no W&B API key: set WANDB_API_KEY or pass --api/);
  });
});
