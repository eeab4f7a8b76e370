import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { fixedClock } from '../helpers/fakes.js';
import { checkedRow, NEW_COLUMNS, outFiles, sample } from '../helpers/insight-outputs.js';
import { API_KEY } from '../helpers/local-wandb.js';
import { runCliCaptured } from '../helpers/run-cli.js';
import { makeWorld } from '../helpers/world.js';

const CONFIG = `
timezone: Asia/Tokyo
ignore_tags: [other_gpu]
dashboard: { entity: dash, project: board, tag_for_latest: latest }
dataset: { entity: dash, project: board, artifact_name: all_runs_data }
companies:
  - company: alpha
    teams: [alpha-team]
    schedule:
      - { date: "2025-02-01", assigned_gpu_node: 1 }
      - { date: "2025-03-10", assigned_gpu_node: 2 }
      - { date: "2025-03-25", assigned_gpu_node: 0 }
  - company: beta
    teams: [beta-team]
    schedule:
      - { date: "2025-03-01", assigned_gpu_node: 1 }
      - { date: "2025-03-06", assigned_gpu_node: 0 }
  - company: gamma
    teams: [gamma-team]
    schedule: [{ date: "2025-03-20", assigned_gpu_node: 2 }]
  - company: delta
    teams: [delta-team]
    schedule: [{ date: "2025-03-01", assigned_gpu_node: 1 }]
  - company: omega
    teams: [omega-team]
    schedule:
      - { date: "2025-01-01", assigned_gpu_node: 1 }
      - { date: "2025-02-15", assigned_gpu_node: 0 }
`;
const TEAMS = ['alpha-team', 'beta-team', 'gamma-team', 'delta-team', 'omega-team'];

/** A system-metrics sample at a UTC instant with GPU utilisation values for GPUs 0, 1, …. */
const run = (
  entity: string,
  name: string,
  createdAt: string,
  heartbeatAt: string,
  gpuCount: number,
  extra: object = {},
) => ({
  entity,
  project: 'llm',
  name,
  displayName: name,
  state: 'finished',
  tags: [],
  host: `${name}-host`,
  createdAt,
  heartbeatAt,
  runInfo: { gpu: 'NVIDIA H100 80GB HBM3', gpuCount, cpuCount: 32 },
  config: {},
  summaryMetrics: {},
  systemMetrics: [],
  ...extra,
});
const SEED = {
  entities: [...TEAMS, 'dash'].map((name) => ({ name })),
  projects: [...TEAMS.map((entity) => ({ entity, name: 'llm' })), { entity: 'dash', name: 'board' }].map(
    (p) => ({ ...p, createdAt: '2025-01-01T00:00:00' }),
  ),
  runs: [
    // 03-03 09:00–19:00 JST: 10 h × 8 = 80 GPU h; busy 80 × 62.5 % = 50.
    run('alpha-team', 'a1', '2025-03-03T00:00:00', '2025-03-03T10:00:00', 8, {
      user: { username: 'aiko' },
      systemMetrics: [sample('2025-03-03T01:00:00', [50, 75])],
    }),
    // 03-10 08:00 – 03-11 04:00 JST on 16 GPUs: 03-10 16 h × 16 = 256 GPU h, busy 256 × 75 % = 192
    // (the 23:30 UTC sample is 08:30 JST on 03-10); 03-11 4 h × 16 = 64 GPU h, unmeasured.
    run('alpha-team', 'a2', '2025-03-09T23:00:00', '2025-03-10T19:00:00', 16, {
      user: { username: 'ben' },
      systemMetrics: [sample('2025-03-09T23:30:00', [70, 80]), sample('2025-03-10T03:00:00', [75, 75])],
    }),
    // 03-11 10:00–13:30 JST, user null (a seed run without `user` would be the API key's user):
    // 3.5 h × 8 = 28 GPU h; busy 28 × 31.25 % = 8.75.
    run('alpha-team', 'a3', '2025-03-11T01:00:00', '2025-03-11T04:30:00', 8, {
      user: null,
      systemMetrics: [sample('2025-03-11T02:00:00', [25, 37.5])],
    }),
    // 03-12 09:00–11:30 JST: 2.5 h × 8 = 20 GPU h; busy 20 × 56.25 % = 11.25.
    run('alpha-team', 'a4', '2025-03-12T00:00:00', '2025-03-12T02:30:00', 8, {
      user: { username: 'ben' },
      systemMetrics: [sample('2025-03-12T01:00:00', [50, 62.5])],
    }),
    // 03-11 14:00–16:00 JST, ignore-tagged: in the dataset, in no table, in no user usage.
    run('alpha-team', 'a5', '2025-03-11T05:00:00', '2025-03-11T07:00:00', 8, {
      tags: ['other_gpu'],
      user: { username: 'aiko' },
      systemMetrics: [sample('2025-03-11T06:00:00', [100, 100])],
    }),
    // 03-05 20:00 – 03-06 04:00 JST, user null: 03-05 4 h × 8 = 32 GPU h, busy 32 × 50 % = 16; the 03-06 row
    // (4 h, util 100) lies on a 0-node day and counts nowhere.
    run('beta-team', 'b1', '2025-03-05T11:00:00', '2025-03-05T19:00:00', 8, {
      user: null,
      systemMetrics: [sample('2025-03-05T13:00:00', [50]), sample('2025-03-05T17:00:00', [100])],
    }),
    // 03-04 09:00–15:00 JST, no metrics: 6 h × 8 = 48 GPU h unmeasured.
    run('beta-team', 'b2', '2025-03-04T00:00:00', '2025-03-04T06:00:00', 8, { user: { username: 'fumi' } }),
    // 03-06 00:00 – 03-12 23:00 JST: 24 h × 8 = 192 GPU h on each of 03-06…03-11, 23 h × 8 = 184 on 03-12.
    // 03-10: busy 192 × 87.5 % = 168; 03-12: busy 184 × 75 % = 138; the other days unmeasured.
    run('delta-team', 'd1', '2025-03-05T15:00:00', '2025-03-12T14:00:00', 8, {
      user: { username: 'chen' },
      systemMetrics: [sample('2025-03-10T03:00:00', [75, 100]), sample('2025-03-12T03:00:00', [50, 100])],
    }),
    // 03-10 10:00–14:00 JST: 4 h × 8 = 32 GPU h, busy 32 × 100 % = 32.
    run('delta-team', 'd2', '2025-03-10T01:00:00', '2025-03-10T05:00:00', 8, {
      user: { username: 'ben' },
      systemMetrics: [sample('2025-03-10T02:00:00', [100])],
    }),
  ],
};

const OLD_DAILY_COLUMNS = [
  '企業名',
  '日付',
  '合計GPU使用時間(h)',
  'GPU稼働率(%)',
  '平均GPUパフォーマンス率(%)',
  '最大GPUパフォーマンス率(%)',
  '平均GPUメモリ利用率(%)',
  '最大GPUメモリ利用率(%)',
  'n_runs',
  'assigned_gpu_node',
  'assigned_gpu_hour',
  '_total_gpu_hour',
  'total_metrics_hour',
];
/** The cells checked in the tables: three existing ones as anchors, then the four new ones. */

// [company, period, 合計GPU使用時間(h), _total_gpu_hour, assigned_gpu_hour, busy, idle, unmeasured, 実効(%)]
const DAILY: string[][] = [
  // a1: 80 GPU h of 192; busy 50; idle 192 − 80 = 112; 実効 50 / 192 = 26.04 % → 26.0.
  ['alpha', '2025-03-03', '80.0', '80.0', '192', '50.0', '112.0', '0.0', '26.0'],
  // A grid day without rows: all 192 h idle.
  ['alpha', '2025-03-09', '0.0', '0.0', '192', '0.0', '192.0', '0.0', '0.0'],
  // 2 nodes = 384 h. a2: 256 GPU h, busy 192; idle 384 − 256 = 128; 実効 192 / 384 = 50 %.
  ['alpha', '2025-03-10', '256.0', '256.0', '384', '192.0', '128.0', '0.0', '50.0'],
  // a2 64 (unmeasured) + a3 28 = 92 GPU h (a5 ignored); busy 8.75 → 8.8 (half up); idle 384 − 92 = 292;
  // 実効 8.75 / 384 = 2.28 % → 2.3.
  ['alpha', '2025-03-11', '92.0', '92.0', '384', '8.8', '292.0', '64.0', '2.3'],
  // a4: 20 GPU h; busy 11.25 → 11.3 (half up); idle 384 − 20 = 364; 実効 11.25 / 384 = 2.93 % → 2.9.
  ['alpha', '2025-03-12', '20.0', '20.0', '384', '11.3', '364.0', '0.0', '2.9'],
  // b2: 48 GPU h unmeasured; idle 192 − 48 = 144.
  ['beta', '2025-03-04', '48.0', '48.0', '192', '0.0', '144.0', '48.0', '0.0'],
  // b1: 32 GPU h, busy 16; idle 192 − 32 = 160; 実効 16 / 192 = 8.33 % → 8.3.
  ['beta', '2025-03-05', '32.0', '32.0', '192', '16.0', '160.0', '0.0', '8.3'],
  // d1 alone, no metrics: 192 GPU h, all unmeasured, idle 0.
  ['delta', '2025-03-06', '192.0', '192.0', '192', '0.0', '0.0', '192.0', '0.0'],
  ['delta', '2025-03-07', '192.0', '192.0', '192', '0.0', '0.0', '192.0', '0.0'],
  ['delta', '2025-03-08', '192.0', '192.0', '192', '0.0', '0.0', '192.0', '0.0'],
  ['delta', '2025-03-09', '192.0', '192.0', '192', '0.0', '0.0', '192.0', '0.0'],
  // d1 192 + d2 32 = 224 GPU h, capped at 192: idle 0; busy 168 + 32 = 200; 実効 min(100, 104.2) = 100.
  ['delta', '2025-03-10', '192.0', '224.0', '192', '200.0', '0.0', '0.0', '100.0'],
  ['delta', '2025-03-11', '192.0', '192.0', '192', '0.0', '0.0', '192.0', '0.0'],
  // d1: 184 GPU h, busy 138; idle 192 − 184 = 8; 実効 138 / 192 = 71.875 % → 71.9.
  ['delta', '2025-03-12', '184.0', '184.0', '192', '138.0', '8.0', '0.0', '71.9'],
];

const WEEKLY: string[][] = [
  // Week of Sunday 03-09, days 09…12: assigned 192 + 3 × 384 = 1344; total 0 + 256 + 92 + 20 = 368;
  // busy 192 + 8.75 + 11.25 = 212 summed unrounded (the rounded days would give 212.1); idle 1344 − 368 = 976;
  // unmeasured 64; 実効 212 / 1344 = 15.77 % → 15.8.
  ['alpha', '2025-03-09', '368.0', '368.0', '1344', '212.0', '976.0', '64.0', '15.8'],
  // Days 09…12: assigned 4 × 192 = 768; total 192 + 192 + 192 + 184 = 760 (_total 192 + 224 + 192 + 184 = 792);
  // busy 200 + 138 = 338; idle 768 − 760 = 8; unmeasured 192 (09) + 192 (11) = 384; 実効 338 / 768 = 44.01 % → 44.0.
  ['delta', '2025-03-09', '760.0', '792.0', '768', '338.0', '8.0', '384.0', '44.0'],
];

const MONTHLY: string[][] = [
  // March 01…12: assigned 9 × 192 + 3 × 384 = 1728 + 1152 = 2880; total 80 + 256 + 92 + 20 = 448;
  // busy 50 + 192 + 8.75 + 11.25 = 262 (the rounded days would give 262.1); idle 2880 − 448 = 2432;
  // unmeasured 64; 実効 262 / 2880 = 9.10 % → 9.1.
  ['alpha', '2025-03', '448.0', '448.0', '2880', '262.0', '2432.0', '64.0', '9.1'],
  // February: 28 grid days without rows, 28 × 192 = 5376 h all idle.
  ['alpha', '2025-02', '0.0', '0.0', '5376', '0.0', '5376.0', '0.0', '0.0'],
  // March 01…05: assigned 5 × 192 = 960; total 48 + 32 = 80 (b1's 03-06 row is on a 0-node day); busy 16;
  // idle 960 − 80 = 880; unmeasured 48; 実効 16 / 960 = 1.67 % → 1.7.
  ['beta', '2025-03', '80.0', '80.0', '960', '16.0', '880.0', '48.0', '1.7'],
  // March 01…12: assigned 12 × 192 = 2304; total 5 × 192 + 192 + 184 = 1336 (_total 960 + 224 + 184 = 1368);
  // busy 200 + 138 = 338; idle 2304 − 1336 = 968; unmeasured 5 × 192 = 960; 実効 338 / 2304 = 14.67 % → 14.7.
  ['delta', '2025-03', '1336.0', '1368.0', '2304', '338.0', '968.0', '960.0', '14.7'],
];

const OVERALL: string[][] = [
  // February + March: assigned 5376 + 2880 = 8256; total 448; busy 262; idle 8256 − 448 = 7808; unmeasured 64;
  // 実効 262 / 8256 = 3.17 % → 3.2.
  ['alpha', '', '448.0', '448.0', '8256', '262.0', '7808.0', '64.0', '3.2'],
  // beta and delta only have March: as their monthly rows.
  ['beta', '', '80.0', '80.0', '960', '16.0', '880.0', '48.0', '1.7'],
  ['delta', '', '1336.0', '1368.0', '2304', '338.0', '968.0', '960.0', '14.7'],
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
  // beta: to date 03-01…05 = 5 × 192 = 960, used 48 + 32 = 80; rest 0 (0 nodes from 03-06). No grid day in
  // [03-06, 03-12], so pace = 80 / 960 = 8.33 % → 8.3; projected 80 + 0 = 80; 80 / 960 = 8.33 % → 8.3 < 80.
  ['beta', '2025-03', '960.0', '80.0', '0.0', '8.3', '80.0', '8.3', 'at risk'],
  // alpha: to date 2880 (as monthly), used 448; rest 03-13…03-24 = 12 × 384 = 4608 (0 nodes from 03-25).
  // Window 03-06…12: assigned 4 × 192 + 3 × 384 = 1920, used 256 + 92 + 20 = 368; pace 368 / 1920 = 19.17 % → 19.2;
  // projected 448 + 368 / 1920 × 4608 = 448 + 883.2 = 1331.2; 1331.2 / (2880 + 4608 = 7488) = 17.78 % → 17.8.
  ['alpha', '2025-03', '2880.0', '448.0', '4608.0', '19.2', '1331.2', '17.8', 'at risk'],
  // delta: to date 12 × 192 = 2304, used 1336; rest 03-13…03-31 = 19 × 192 = 3648. Window 03-06…12: 7 × 192 = 1344
  // assigned, 1336 used; pace 1336 / 1344 = 99.40 % → 99.4; projected 1336 + 1336 / 1344 × 3648 = 1336 + 3626.29
  // = 4962.29 → 4962.3; 4962.29 / (2304 + 3648 = 5952) = 83.37 % → 83.4 ≥ 80.
  ['delta', '2025-03', '2304.0', '1336.0', '3648.0', '99.4', '4962.3', '83.4', 'on track'],
  // gamma: no grid day up to T; rest 03-20…03-31 = 12 × 384 = 4608; no pace, so not started (sorted last).
  // omega has no node in March: no row.
  ['gamma', '2025-03', '0.0', '0.0', '4608.0', '', '', '', 'not started'],
];

const USER_USAGE: string[][] = [
  ['company', 'period', 'period_start', 'username', 'gpu_hour', 'busy_gpu_hour', 'n_runs'],
  // alpha, March 01…12 (a5 ignored): ben a2 256 + 64 and a4 20 = 340, busy 192 + 0 + 11.25 = 203.25, 2 runs;
  // aiko a1 80, busy 50; a3 (no user) 28, busy 8.75.
  ['alpha', 'month', '2025-03', 'ben', '340.00', '203.25', '2'],
  ['alpha', 'month', '2025-03', 'aiko', '80.00', '50.00', '1'],
  ['alpha', 'month', '2025-03', '(unknown)', '28.00', '8.75', '1'],
  // alpha, week 03-09…12: the same runs but a1 (03-03); aiko's only run in the week is the ignored a5.
  ['alpha', 'week', '2025-03-09', 'ben', '340.00', '203.25', '2'],
  ['alpha', 'week', '2025-03-09', '(unknown)', '28.00', '8.75', '1'],
  // beta, March: b2 fumi 48, no busy; b1 (user null) only its 03-05 row: 32, busy 16. No grid day in the week.
  ['beta', 'month', '2025-03', 'fumi', '48.00', '0.00', '1'],
  ['beta', 'month', '2025-03', '(unknown)', '32.00', '16.00', '1'],
  // delta, March: d1 chen 6 × 192 + 184 = 1336, busy 168 + 138 = 306; d2 ben 32, busy 32 (uncapped sums).
  ['delta', 'month', '2025-03', 'chen', '1336.00', '306.00', '1'],
  ['delta', 'month', '2025-03', 'ben', '32.00', '32.00', '1'],
  // delta, week 03-09…12: chen 3 × 192 + 184 = 760, busy 306; ben as in the month.
  ['delta', 'week', '2025-03-09', 'chen', '760.00', '306.00', '1'],
  ['delta', 'week', '2025-03-09', 'ben', '32.00', '32.00', '1'],
];

let dir: string;
let server: LocalWandb;
let result: Awaited<ReturnType<typeof runCliCaptured>>;
const { records, cells } = outFiles(() => dir);

beforeAll(async () => {
  ({ dir, server } = await makeWorld({ name: 'run-allocation-insight', config: CONFIG, seed: SEED }));
  result = await runCliCaptured(
    [
      'run',
      '--config',
      'config.yaml',
      '--start-date',
      '2025-03-01',
      '--end-date',
      '2025-03-12',
      '--out',
      'out',
    ],
    {
      cwd: dir,
      env: { WANDB_BASE_URL: server.url, WANDB_API_KEY: API_KEY },
      clock: fixedClock('2025-03-13T03:00:00Z'),
    },
  );
}, 120_000);
afterAll(() => server?.close());

describe('run --out: allocation insight over a small Tokyo world (T = 2025-03-12)', () => {
  it('exits 0', () => {
    expect(result.code, result.stderr).toBe(0);
  });

  it('adds username to the dataset right after cpu_count, empty without a user', async () => {
    const rows = await records('dataset.csv');
    const header = Object.keys(rows[0]!);
    expect(header.indexOf('username')).toBe(header.indexOf('cpu_count') + 1);
    const pick = (run: string, date: string) => {
      const row = rows.find((r) => r.run_id === run && r.date === date);
      return [run, date, row?.username, row?.duration_hour, row?.gpu_count, row?.average_gpu_utilization];
    };
    expect([
      pick('a1', '2025-03-03'),
      pick('a2', '2025-03-10'),
      pick('a2', '2025-03-11'),
      pick('a3', '2025-03-11'),
      pick('a5', '2025-03-11'),
      pick('b1', '2025-03-05'),
      pick('b1', '2025-03-06'),
      pick('d1', '2025-03-12'),
    ]).toEqual([
      ['a1', '2025-03-03', 'aiko', '10.0', '8', '62.5'],
      ['a2', '2025-03-10', 'ben', '16.0', '16', '75.0'],
      ['a2', '2025-03-11', 'ben', '4.0', '16', ''],
      ['a3', '2025-03-11', '', '3.5', '8', '31.25'],
      ['a5', '2025-03-11', 'aiko', '2.0', '8', '100.0'],
      ['b1', '2025-03-05', '', '4.0', '8', '50.0'],
      ['b1', '2025-03-06', '', '4.0', '8', '100.0'],
      ['d1', '2025-03-12', 'chen', '23.0', '8', '75.0'],
    ]);
  });

  it('appends the four insight columns to daily.csv and leaves the others as they were', async () => {
    const [header] = await cells('daily.csv');
    expect(header).toEqual([...OLD_DAILY_COLUMNS, ...NEW_COLUMNS]);
  });

  it('writes busy, idle and unmeasured hours and the effective utilisation of each day', async () => {
    const rows = await records('daily.csv');
    expect(DAILY.map(([c, d]) => checkedRow(rows, '日付', c!, d!))).toEqual(DAILY);
    // gamma has no grid day up to T.
    expect(rows.filter((r) => r.企業名 === 'gamma')).toEqual([]);
  });

  it('sums the days unrounded into T’s week, the months and all time', async () => {
    const weekly = await records('weekly.csv');
    expect(WEEKLY.map(([c, w]) => checkedRow(weekly, '週開始日', c!, w!))).toEqual(WEEKLY);
    const monthly = await records('monthly.csv');
    expect(MONTHLY.map(([c, m]) => checkedRow(monthly, '年月', c!, m!))).toEqual(MONTHLY);
    const overall = await records('overall.csv');
    expect(OVERALL.map(([c]) => checkedRow(overall, null, c!, ''))).toEqual(OVERALL);
    for (const name of ['weekly.csv', 'monthly.csv', 'overall.csv']) {
      const [header] = await cells(name);
      expect(header?.slice(-4), name).toEqual(NEW_COLUMNS);
    }
  });

  it('writes the allocation outlook of March, lowest projection first', async () => {
    expect(await cells('allocation_outlook.csv')).toEqual(OUTLOOK);
  });

  it('writes each user’s usage in T’s month and week', async () => {
    expect(await cells('user_usage.csv')).toEqual(USER_USAGE);
  });
});
