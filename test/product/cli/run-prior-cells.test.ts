import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_GPU_COUNT } from '../../../src/product/shared/gpu-count.js';
import { MAX_CELL_CHARS, MAX_RECORD_BYTES } from '../../../src/product/uploader/text-bounds.js';
import type { LocalWandb } from '../../../src/world/local-wandb/listen.js';
import { ORIGINAL_HEADER } from '../../helpers/dataset-header.js';
import { API_KEY, gql, startTestServer, tempDir } from '../../helpers/local-wandb.js';
import { runCliCaptured } from '../../helpers/run-cli.js';

// Asia/Tokyo by default: every local day has 24 hours.
const CONFIG = `
dashboard: { entity: dash, project: board }
dataset: { entity: dash, project: board, artifact_name: all_runs_data }
companies:
  - company: alpha
    teams: [alpha-team]
    schedule: [{ date: "2025-01-08", assigned_gpu_node: 1 }]
`;
const HEADER = ORIGINAL_HEADER;
const GOOD =
  '2025-01-08,alpha-team,p,r0,[],2025-01-08T10:00:00,2025-01-08T20:00:00,finished,10.0,8,50.0,20.0,90.0,30.0,h,2025-01-09T00:15:00';

type World = { server: LocalWandb; dir: string };

/** A local W&B whose dashboard project holds one dataset version with `csv` as its file. */
async function startWorld(csv: Buffer): Promise<World> {
  const dir = await tempDir('prior-cells-');
  await writeFile(join(dir, 'config.yaml'), CONFIG);
  // The seed names the file, so its bytes reach the artifact exactly as written.
  await writeFile(join(dir, 'prior.csv'), csv);
  const seed = {
    entities: [{ name: 'alpha-team' }, { name: 'dash' }],
    projects: [{ entity: 'dash', name: 'board', createdAt: '2025-01-01T00:00:00' }],
    runs: [],
    artifacts: [
      {
        entity: 'dash',
        project: 'board',
        name: 'all_runs_data',
        type: 'dataset',
        files: { 'all_runs_data.csv': 'prior.csv' },
      },
    ],
  };
  await writeFile(join(dir, 'seed.json'), JSON.stringify(seed));
  return { server: await startTestServer({ seed: join(dir, 'seed.json') }), dir };
}

function runJob(world: World, extra: string[] = [], env: Record<string, string> = {}) {
  return runCliCaptured(
    ['run', '--config', 'config.yaml', '--start-date', '2025-01-09', '--end-date', '2025-01-09', ...extra],
    { cwd: world.dir, env: { WANDB_BASE_URL: world.server.url, WANDB_API_KEY: API_KEY, ...env } },
  );
}

/** Runs in the dashboard project and the dataset's latest version index. */
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

const FILE = 'dash/board/all_runs_data:latest/all_runs_data.csv';

describe.each([
  [
    'a duration longer than its day',
    Buffer.from(`${HEADER}\n${GOOD}\n${GOOD.replace(',10.0,8,', ',24.5,8,')}\n`),
    `${FILE} (line 3, column duration_hour): not within [0, 24], the hours of 2025-01-08 in Asia/Tokyo: "24.5"`,
  ],
  [
    'a memory percentage over 100',
    Buffer.from(`${HEADER}\n${GOOD.replace(',20.0,90.0,', ',120.0,90.0,')}\n`),
    `${FILE} (line 2, column average_gpu_memory): not within [0, 100]: "120.0"`,
  ],
  [
    'a GPU count of 1e308',
    Buffer.from(`${HEADER}\n${GOOD.replace(',10.0,8,', ',10.0,1e308,')}\n`),
    `${FILE} (line 2, column gpu_count): more than the ${MAX_GPU_COUNT} GPUs a run can have: "1e308"`,
  ],
  [
    // Stands for the 200 MB cell: the read stops at the record bound whatever follows.
    'a project cell past the record bound',
    Buffer.from(`${HEADER}\n${GOOD}\n${GOOD.replace(',p,', `,${'p'.repeat(2 * MAX_RECORD_BYTES)},`)}\n`),
    `${FILE} (line 3, column project): a record longer than ${MAX_RECORD_BYTES} bytes (a cell holds at most ${MAX_CELL_CHARS} characters): read stopped there`,
  ],
  [
    'a NUL byte',
    Buffer.from(`${HEADER}\n${GOOD}\n${GOOD.replace(',h,', ',h\u0000,')}\n`),
    `${FILE} (line 3, column host_name): a NUL byte, which CSV text never holds`,
  ],
  [
    'bytes that are not UTF-8',
    // Latin-1 writes é as the single byte 0xe9, which is not UTF-8.
    Buffer.from(`${HEADER}\n${GOOD}\n${GOOD.replace(',h,', ',hé,')}\n`, 'latin1'),
    `${FILE} (line 3, column host_name): not valid UTF-8 (bytes that encode no character)`,
  ],
])('run on a prior dataset with %s', (_name, csv, message) => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld(csv);
  });
  afterAll(async () => world?.server.close());

  it('exits 1 naming the file, line and column, and publishes nothing', async () => {
    const result = await runJob(world);
    expect(result.stderr).toContain(message);
    expect(result.code).toBe(1);
    expect(await boardState(world.server.url)).toEqual({ runs: 0, version: 0 });
  });
});

describe('run --verbose', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld(Buffer.from(`${HEADER}\n${GOOD}\n`));
  });
  afterAll(async () => world?.server.close());

  const levels = (stderr: string) =>
    stderr
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { level: string }).level);

  it('logs debug lines with --verbose and none without', async () => {
    const quiet = await runJob(world, ['--dry-run']);
    const verbose = await runJob(world, ['--dry-run', '--verbose']);
    expect([quiet.code, verbose.code]).toEqual([0, 0]);
    expect(levels(quiet.stderr)).not.toContain('debug');
    expect(levels(verbose.stderr)).toContain('debug');
  });

  it('--verbose wins over LOG_LEVEL', async () => {
    const result = await runJob(world, ['--dry-run', '--verbose'], { LOG_LEVEL: 'error' });
    expect(result.code).toBe(0);
    expect(levels(result.stderr)).toContain('debug');
  });
});
