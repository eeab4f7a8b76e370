import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { fixedClock } from '../helpers/fakes.js';
import { expectUsageRows, outFiles, sample } from '../helpers/insight-outputs.js';
import { API_KEY } from '../helpers/local-wandb.js';
import { runCliCaptured } from '../helpers/run-cli.js';
import { makeWorld } from '../helpers/world.js';

const CONFIG = `
timezone: America/New_York
dashboard: { entity: dash, project: board, tag_for_latest: latest }
dataset: { entity: dash, project: board, artifact_name: all_runs_data }
insight: { target_use_percent: 25 }
companies:
  - company: nyc
    teams: [nyc-team]
    schedule: [{ date: "2025-10-27", assigned_gpu_node: 1 }]
`;
const run = (name: string, createdAt: string, heartbeatAt: string, extra: object) => ({
  entity: 'nyc-team',
  project: 'llm',
  name,
  displayName: name,
  state: 'finished',
  tags: [],
  host: `${name}-host`,
  createdAt,
  heartbeatAt,
  runInfo: { gpu: 'NVIDIA H100 80GB HBM3', gpuCount: 8, cpuCount: 32 },
  config: {},
  summaryMetrics: {},
  systemMetrics: [],
  ...extra,
});
const SEED = {
  entities: [{ name: 'nyc-team' }, { name: 'dash' }],
  projects: [
    { entity: 'nyc-team', name: 'llm', createdAt: '2025-10-01T00:00:00' },
    { entity: 'dash', name: 'board', createdAt: '2025-10-01T00:00:00' },
  ],
  runs: [
    // Oct 28 10:00–20:00 EDT: 10 h × 8 = 80 GPU h, busy 80 × 75 % = 60.
    run('n0', '2025-10-28T14:00:00', '2025-10-29T00:00:00', {
      user: { username: 'eli' },
      systemMetrics: [sample('2025-10-28T18:00:00', [75])],
    }),
    // Nov 2 02:00 UTC = Nov 1 22:00 EDT; Nov 3 07:00 UTC = Nov 3 02:00 EST. Nov 1: 2 h × 8 = 16 GPU h
    // unmeasured; Nov 2: 25 h × 8 = 200 GPU h, busy 200 × 50 % = 100; Nov 3: 2 h × 8 = 16 GPU h unmeasured.
    run('n1', '2025-11-02T02:00:00', '2025-11-03T07:00:00', {
      user: { username: 'dana' },
      systemMetrics: [
        sample('2025-11-02T05:30:00', [40, 60]),
        sample('2025-11-02T06:30:00', [30, 50]),
        sample('2025-11-03T04:30:00', [70, 50]),
      ],
    }),
    // Nov 3 09:00–13:00 EST, user null: 4 h × 8 = 32 GPU h, busy 32 × 25 % = 8.
    run('n2', '2025-11-03T14:00:00', '2025-11-03T18:00:00', {
      user: null,
      systemMetrics: [sample('2025-11-03T15:00:00', [25])],
    }),
  ],
};

// [company, period, 合計GPU使用時間(h), _total_gpu_hour, assigned_gpu_hour, busy, idle, unmeasured, 実効(%)]
const DAILY: string[][] = [
  // n0: 80 GPU h, busy 60; idle 192 − 80 = 112; 実効 60 / 192 = 31.25 % → 31.3 (half up).
  ['nyc', '2025-10-28', '80.0', '80.0', '192', '60.0', '112.0', '0.0', '31.3'],
  // n1's first 2 h: 16 GPU h unmeasured; idle 192 − 16 = 176.
  ['nyc', '2025-11-01', '16.0', '16.0', '192', '0.0', '176.0', '16.0', '0.0'],
  // The 25-hour day: 200 GPU h capped at 192 (assigned stays 8 × 24); idle 0; busy 100;
  // 実効 100 / 192 = 52.08 % → 52.1.
  ['nyc', '2025-11-02', '192.0', '200.0', '192', '100.0', '0.0', '0.0', '52.1'],
  // n1's last 2 h (16, unmeasured) + n2 32 = 48 GPU h; busy 8; idle 192 − 48 = 144; 実効 8 / 192 = 4.17 % → 4.2.
  ['nyc', '2025-11-03', '48.0', '48.0', '192', '8.0', '144.0', '16.0', '4.2'],
];
const WEEKLY: string[][] = [
  // T's week, Sunday Nov 2 … Monday Nov 3: assigned 2 × 192 = 384; total 192 + 48 = 240 (_total 200 + 48 = 248);
  // busy 100 + 8 = 108; idle 384 − 240 = 144; unmeasured 16; 実効 108 / 384 = 28.125 % → 28.1.
  ['nyc', '2025-11-02', '240.0', '248.0', '384', '108.0', '144.0', '16.0', '28.1'],
];
const MONTHLY: string[][] = [
  // Nov 1…3: assigned 3 × 192 = 576; total 16 + 192 + 48 = 256 (_total 16 + 200 + 48 = 264); busy 100 + 8 = 108;
  // idle 576 − 256 = 320; unmeasured 16 + 16 = 32; 実効 108 / 576 = 18.75 % → 18.8 (half up).
  ['nyc', '2025-11', '256.0', '264.0', '576', '108.0', '320.0', '32.0', '18.8'],
  // Oct 27…31: assigned 5 × 192 = 960; total 80; busy 60; idle 880; 実効 60 / 960 = 6.25 % → 6.3 (half up).
  ['nyc', '2025-10', '80.0', '80.0', '960', '60.0', '880.0', '0.0', '6.3'],
];
const OVERALL: string[][] = [
  // Oct 27 … Nov 3: assigned 8 × 192 = 1536; total 80 + 256 = 336 (_total 80 + 264 = 344); busy 60 + 108 = 168;
  // idle 1536 − 336 = 1200; unmeasured 32; 実効 168 / 1536 = 10.9375 % → 10.9.
  ['nyc', '', '336.0', '344.0', '1536', '168.0', '1200.0', '32.0', '10.9'],
];
const OUTLOOK: string[][] = [
  [
    'company',
    'month',
    'allocated_gpu_hour_to_date',
    'used_gpu_hour_to_date',
    'allocated_gpu_hour_rest',
    'pace_percent',
    'projected_used_gpu_hour',
    'projected_use_percent',
    'status',
  ],
  // To date Nov 1…3: 576 allocated, 256 used; rest Nov 4…30 = 27 × 192 = 5184. Window Oct 28 … Nov 3: 7 × 192 = 1344
  // assigned, 80 + 16 + 192 + 48 = 336 used; pace 336 / 1344 = 25 %; projected 256 + 0.25 × 5184 = 256 + 1296 = 1552;
  // 1552 / (576 + 5184 = 5760) = 26.94 % → 26.9 ≥ 25 (the configured target): on track.
  ['nyc', '2025-11', '576.0', '256.0', '5184.0', '25.0', '1552.0', '26.9', 'on track'],
];
const USER_USAGE: string[][] = [
  ['company', 'period', 'period_start', 'username', 'gpu_hour', 'busy_gpu_hour', 'n_runs'],
  // November 1…3: dana n1 16 + 200 + 16 = 232 (uncapped), busy 100; n2 (no user) 32, busy 8.
  // eli's only run is in October: no row.
  ['nyc', 'month', '2025-11', 'dana', '232.00', '100.00', '1'],
  ['nyc', 'month', '2025-11', '(unknown)', '32.00', '8.00', '1'],
  // Week Nov 2…3: dana 200 + 16 = 216, busy 100; n2 as in the month.
  ['nyc', 'week', '2025-11-02', 'dana', '216.00', '100.00', '1'],
  ['nyc', 'week', '2025-11-02', '(unknown)', '32.00', '8.00', '1'],
];

let dir: string;
let server: LocalWandb;
let result: Awaited<ReturnType<typeof runCliCaptured>>;
const { records, cells } = outFiles(() => dir);

beforeAll(async () => {
  ({ dir, server } = await makeWorld({ name: 'run-allocation-insight-dst', config: CONFIG, seed: SEED }));
  result = await runCliCaptured(
    [
      'run',
      '--config',
      'config.yaml',
      '--start-date',
      '2025-10-27',
      '--end-date',
      '2025-11-03',
      '--out',
      'out',
    ],
    {
      cwd: dir,
      env: { WANDB_BASE_URL: server.url, WANDB_API_KEY: API_KEY },
      // Nov 4 12:00 EST.
      clock: fixedClock('2025-11-04T17:00:00Z'),
    },
  );
}, 120_000);
afterAll(() => server?.close());

describe('run --out: allocation insight across the 25-hour day in New York (T = 2025-11-03)', () => {
  it('exits 0', () => {
    expect(result.code, result.stderr).toBe(0);
  });

  it('dates hours and samples by the local day, 25 hours on Nov 2', async () => {
    const rows = await records('dataset.csv');
    const n1 = rows
      .filter((r) => r.run_id === 'n1')
      .map((r) => [r.date, r.username, r.duration_hour, r.average_gpu_utilization])
      .sort();
    expect(n1).toEqual([
      ['2025-11-01', 'dana', '2.0', ''],
      ['2025-11-02', 'dana', '25.0', '50.0'],
      ['2025-11-03', 'dana', '2.0', ''],
    ]);
  });

  it('writes busy, idle and unmeasured hours of the days and periods', async () => {
    await expectUsageRows(
      { records, cells },
      { daily: DAILY, weekly: WEEKLY, monthly: MONTHLY, overall: OVERALL },
    );
  });

  it('writes the outlook with a pace window reaching into October', async () => {
    expect(await cells('allocation_outlook.csv')).toEqual(OUTLOOK);
  });

  it('writes each user’s usage in T’s month and week', async () => {
    expect(await cells('user_usage.csv')).toEqual(USER_USAGE);
  });
});
