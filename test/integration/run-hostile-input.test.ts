// Hostile W&B input stays inert in `run`: a project named like a spreadsheet formula is kept exactly in
// the dataset and in the W&B Tables but cannot run in the table files; a GPU count past MAX_GPU_COUNT
// from a run's config or runInfo is never written; a run whose text the dataset cannot hold (a NUL) is
// skipped and reported. The job can read back everything it published: the next night runs.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPublishedDashboard } from '../../src/product/publish/read-published.js';
import { createWandbClient } from '../../src/product/wandb/client.js';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { readDatasetFiles } from '../helpers/dataset-artifact.js';
import { CANARY, makeJobWorld, runWorldJob } from '../helpers/job-world.js';

const FORMULA = '=HYPERLINK("https://evil.example","x")';
const CONFIG = `
timezone: Asia/Tokyo
dashboard: { entity: dash, project: board, tag_for_latest: latest }
dataset: { entity: dash, project: board, artifact_name: all_runs_data }
companies:
  - company: alpha
    teams: [alpha-team]
    schedule: [{ date: "2025-01-08", assigned_gpu_node: 100 }]
    gpu_count:
      - nodes: { config: num_nodes }
`;
const run = (project: string, name: string, extra: object = {}) => ({
  entity: 'alpha-team',
  project,
  name,
  displayName: name,
  state: 'finished',
  tags: [],
  host: 'node-1',
  // 09:00–15:00 JST Jan 9: 6 h.
  createdAt: '2025-01-09T00:00:00',
  heartbeatAt: '2025-01-09T06:00:00',
  runInfo: { gpu: 'NVIDIA H100 80GB HBM3', gpuCount: 8, cpuCount: 32 },
  config: {},
  summaryMetrics: {},
  systemMetrics: [],
  ...extra,
});
const SEED = {
  entities: [{ name: 'alpha-team' }, { name: 'dash' }],
  projects: [
    { entity: 'alpha-team', name: FORMULA, createdAt: '2025-01-01T00:00:00' },
    { entity: 'alpha-team', name: 'llm', createdAt: '2025-01-01T00:00:00' },
    { entity: 'dash', name: 'board', createdAt: '2025-01-01T00:00:00' },
  ],
  runs: [
    run(FORMULA, 'formula'),
    // 20,000 nodes × 8 = 160,000 GPUs: the rule does not apply, runInfo gives 8.
    run('llm', 'many-nodes', { config: { num_nodes: { value: 20_000 } } }),
    // No rule applies and runInfo's count (a GraphQL Int) is past the bound: no count, reported.
    run('llm', 'many-gpus', { runInfo: { gpu: 'NVIDIA H100 80GB HBM3', gpuCount: 1_000_000, cpuCount: 32 } }),
    run('llm', 'nul-host', { host: 'node\u0000x' }),
  ],
};

describe('run: hostile W&B names and counts', () => {
  let dir: string;
  let server: LocalWandb;
  let first: Awaited<ReturnType<typeof runWorldJob>>;
  beforeAll(async () => {
    ({ dir, server } = await makeJobWorld('run-hostile', CONFIG, SEED));
    first = await runWorldJob(dir, server.url, 'out');
  }, 60_000);
  afterAll(() => server?.close());

  const csvRows = async (file: string) =>
    parse(await readFile(join(dir, 'out', file)), { columns: true }) as Record<string, string>[];

  it('writes no GPU count past the bound: a rule past it falls through, a runInfo past it gives none', async () => {
    expect(first.code, first.stderr).toBe(0);
    const rows = await csvRows('dataset.csv');
    expect(rows.map((r) => [r.run_id, r.gpu_count]).sort()).toEqual([
      ['formula', '8'],
      ['many-gpus', ''],
      ['many-nodes', '8'],
    ]);
    const report = JSON.parse(await readFile(join(dir, 'out', 'run-report.json'), 'utf8'));
    expect(report.tracker.runs_without_gpu_count).toBe(1);
    expect(first.stderr).toMatch(/"tracker\.gpu_count_missing".*"run_id":"many-gpus"/);
  });

  it('skips and reports a run whose text the dataset cannot hold', async () => {
    const report = JSON.parse(await readFile(join(dir, 'out', 'run-report.json'), 'utf8'));
    expect(report.tracker.runs_skipped).toEqual({ 'text-out-of-bounds': 1 });
    expect(first.stderr).toMatch(/"tracker\.run_skipped".*"run_id":"nul-host".*"text-out-of-bounds"/);
  });

  it('keeps the formula-like name exactly in the dataset (--out and the artifact) and the W&B Tables', async () => {
    expect((await csvRows('dataset.csv')).find((r) => r.run_id === 'formula')?.project).toBe(FORMULA);
    const wandb = createWandbClient({ baseUrl: server.url, apiKey: CANARY });
    const files = await readDatasetFiles(
      wandb,
      { entity: 'dash', project: 'board', artifact: 'all_runs_data' },
      'latest',
    );
    const published = files.flatMap((body) => parse(body, { columns: true }) as Record<string, string>[]);
    expect(published.find((r) => r.run_id === 'formula')?.project).toBe(FORMULA);
    const board = await readPublishedDashboard(wandb, { entity: 'dash', project: 'board', tag: 'latest' });
    const alpha = board.runs.find((r) => r.tag === 'alpha');
    expect(alpha?.tables.company_summary?.rows.map((r) => r[1]).sort()).toEqual([FORMULA, 'llm']);
  });

  it('writes it with a leading quote in the table files, which are for spreadsheets', async () => {
    const summary = await csvRows('summary.csv');
    expect(summary.map((r) => r.project).sort()).toEqual([`'${FORMULA}`, 'llm']);
  });

  it('reads back everything it published: the next run succeeds', async () => {
    const second = await runWorldJob(dir, server.url, 'out-2');
    expect(second.code, second.stderr).toBe(0);
  }, 60_000);
});
