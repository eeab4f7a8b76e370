// Odd W&B data reaches no table: GPU samples outside [0, 100] are dropped and counted per run, and a
// run using more GPUs than its company was allocated is kept, logged, reported and found by check.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { checkAgainst } from '../helpers/check-now.js';
import { CANARY, makeJobWorld, runWorldJob } from '../helpers/job-world.js';

const CONFIG = `
timezone: Asia/Tokyo
dashboard: { entity: dash, project: board, tag_for_latest: latest }
dataset: { entity: dash, project: board, artifact_name: all_runs_data }
companies:
  - company: alpha
    teams: [alpha-team]
    schedule: [{ date: "2025-01-08", assigned_gpu_node: 1 }]
`;
const at = (utc: string) => Date.parse(`${utc}Z`) / 1000;
const SEED = {
  entities: [{ name: 'alpha-team' }, { name: 'dash' }],
  projects: [
    { entity: 'alpha-team', name: 'llm', createdAt: '2025-01-01T00:00:00' },
    { entity: 'dash', name: 'board', createdAt: '2025-01-01T00:00:00' },
  ],
  runs: [
    {
      entity: 'alpha-team',
      project: 'llm',
      name: 'wide',
      displayName: 'wide',
      state: 'finished',
      tags: [],
      host: 'node-1',
      // 09:00–11:00 JST Jan 9 on 16 GPUs, with the company allocated one node of 8.
      createdAt: '2025-01-09T00:00:00',
      heartbeatAt: '2025-01-09T02:00:00',
      runInfo: { gpu: 'NVIDIA H100 80GB HBM3', gpuCount: 16, cpuCount: 32 },
      config: {},
      summaryMetrics: {},
      systemMetrics: [
        // Kept: 40 and 60 (mean 50, max 60), memory 20. Dropped: -5 (below 0), 150 and 100.5 (above 100).
        {
          _timestamp: at('2025-01-09T00:30:00'),
          'system.gpu.0.gpu': 40,
          'system.gpu.1.gpu': -5,
          'system.gpu.0.memory': 20,
        },
        {
          _timestamp: at('2025-01-09T01:30:00'),
          'system.gpu.0.gpu': 60,
          'system.gpu.1.gpu': 150,
          'system.gpu.1.memory': 100.5,
        },
      ],
    },
  ],
};

describe('run: out-of-range samples and an over-allocated run', () => {
  let dir: string;
  let server: LocalWandb;
  let result: Awaited<ReturnType<typeof runWorldJob>>;
  beforeAll(async () => {
    ({ dir, server } = await makeJobWorld('run-odd', CONFIG, SEED));
    result = await runWorldJob(dir, server.url, 'out', ['--verbose']);
  }, 60_000);
  afterAll(() => server?.close());

  it('drops samples outside [0, 100] from the metrics and counts them by kind', async () => {
    expect(result.code, result.stderr).toBe(0);
    const [row] = parse(await readFile(join(dir, 'out', 'dataset.csv')), { columns: true }) as Record<
      string,
      string
    >[];
    expect(row).toMatchObject({
      run_id: 'wide',
      gpu_count: '16',
      average_gpu_utilization: '50.0',
      max_gpu_utilization: '60.0',
      average_gpu_memory: '20.0',
      max_gpu_memory: '20.0',
    });
    const report = JSON.parse(await readFile(join(dir, 'out', 'run-report.json'), 'utf8'));
    expect(report.tracker.samples_dropped).toEqual([
      { team: 'alpha-team', project: 'llm', run_id: 'wide', below_zero: 1, above_hundred: 2 },
    ]);
    const debug = result.stderr
      .split('\n')
      .filter((l) => l.includes('"tracker.sample_dropped"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(debug.map((l) => [l.level, l.kind, l.count])).toEqual([
      ['debug', 'below_zero', 1],
      ['debug', 'above_hundred', 2],
    ]);
  });

  it('keeps the over-allocated run, logs and reports it', async () => {
    const report = JSON.parse(await readFile(join(dir, 'out', 'run-report.json'), 'utf8'));
    expect(report.tracker.over_allocated).toEqual([
      {
        team: 'alpha-team',
        project: 'llm',
        run_id: 'wide',
        date: '2025-01-09',
        gpu_count: 16,
        allocated_gpus: 8,
      },
    ]);
    expect(result.stderr).toContain('"tracker.run_over_allocation"');
  });

  it('is found by check as an anomaly of the company', async () => {
    const report = await checkAgainst(
      server,
      CANARY,
      join(dir, 'config.yaml'),
      '2025-01-09',
      '2025-01-10T05:00:00Z',
    );
    expect(report.findings.filter((f) => f.kind === 'run_over_allocation')).toEqual([
      expect.objectContaining({
        check: 'anomalies',
        subject: 'alpha',
        details: { runs: ['llm/wide'], allocated_gpus: 8 },
      }),
    ]);
  });
});
