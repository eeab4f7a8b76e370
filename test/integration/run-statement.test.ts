// Month-end statements (docs/behaviour.md §13, "The month-end statement" and "§13 decisions"): the job's
// `company_monthly_statement` Table and `company_statement` page on each company's `Tables_<month end>` run,
// and `gpu-dashboard statement` (through the API, offline from the dataset file, and `--publish`), on a
// small world in Asia/Tokyo (no DST). Every expected value below is worked out by hand from the seed, with
// the arithmetic next to it, from these definitions:
// - per run-day row: gpu h = duration_hour × gpu_count; busy = gpu h × average_gpu_utilization / 100
//   (rows with metrics); unmeasured = gpu h (rows without metrics);
// - per grid day: total = min(round1(Σ gpu h), assigned), assigned = nodes × 8 × 24, idle = assigned − total;
//   a month sums its grid days unrounded and rounds once (half up); 実効GPU稼働率 = min(100, busy / assigned).
// - project and user lines: uncapped sums of the rows' GPU-hours on grid days (2 decimals), distinct runs.
// Rows on days that are not grid days (0 nodes) count nowhere.
//
// Month M = 2025-01 (31 days). The job runs for T = 2025-01-31 with the clock at 2025-02-01 12:00 JST.
// Times in the seed are UTC; JST = UTC + 9 h. 1 node = 8 GPUs = 192 GPU h a day.
//
// Companies and schedules:
//   alpha  1 node from 2025-01-01, 2 nodes from 2025-01-20  (a change within the month)
//   beta   1 node from 2025-01-01, 0 from 2025-01-15         (ends within the month: grid days 01-01…01-14)
//   gamma  1 node from 2025-02-01                            (no node in January: no statement)
// Runs (JST), alpha-team projects `llm` and `vision`, beta-team project `llm`:
//   a1 alpha llm    aiko    01-06 09:00–19:00, 8 GPUs, host a-node-1, util (50 + 75) / 2 = 62.5
//   a2 alpha llm    ben     01-21 09:00–21:00, 16 GPUs, host a-node-2, util (70 + 80) / 2 = 75
//   a3 alpha vision ben     01-10 10:00–14:00, 8 GPUs, host a-node-3, no metrics   } a duplicate-init group:
//   a4 alpha vision ben     01-10 12:00–16:00, 8 GPUs, host a-node-3, no metrics   } overlap 12:00–14:00
//   a5 alpha llm    (null)  01-25 09:00–12:30, 8 GPUs, host a-node-1, util (20 + 30) / 2 = 25
//   b1 beta  llm    fumi    01-08 09:00–15:00, 8 GPUs, host b-node-1, no metrics
//   b2 beta  llm    fumi    01-14 20:00 – 01-15 04:00, 8 GPUs, host b-node-2, util 50 on 01-14, 100 on 01-15
//                           (01-15 is not a grid day: its row counts nowhere)
//
// Per grid day with use:
//   alpha 01-06: a1 10 h × 8 = 80 GPU h, busy 80 × 62.5 % = 50; assigned 192.
//   alpha 01-10: a3 4 h × 8 = 32 + a4 4 h × 8 = 32 = 64 GPU h, all unmeasured; assigned 192.
//   alpha 01-21: a2 12 h × 16 = 192 GPU h, busy 192 × 75 % = 144; assigned 2 × 192 = 384.
//   alpha 01-25: a5 3.5 h × 8 = 28 GPU h, busy 28 × 25 % = 7; assigned 384.
//   beta  01-08: b1 6 h × 8 = 48 GPU h, all unmeasured; assigned 192.
//   beta  01-14: b2 4 h × 8 = 32 GPU h, busy 32 × 50 % = 16; assigned 192.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTableJson } from '../../src/product/report/table-json.js';
import { createWandbClient } from '../../src/product/wandb/client.js';
import { downloadRunFile, runFileLinks } from '../../src/product/wandb/run-files.js';
import { listRuns, type RunNode } from '../../src/product/wandb/runs.js';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { fixedClock } from '../helpers/fakes.js';
import { API_KEY, startTestServer, tempDir } from '../helpers/local-wandb.js';
import { runCliCaptured } from '../helpers/run-cli.js';
import { makeWorld } from '../helpers/world.js';

const CONFIG = `
timezone: Asia/Tokyo
dashboard: { entity: dash, project: board, tag_for_latest: latest }
dataset: { entity: dash, project: board, artifact_name: all_runs_data }
companies:
  - company: alpha
    teams: [alpha-team]
    schedule:
      - { date: "2025-01-01", assigned_gpu_node: 1 }
      - { date: "2025-01-20", assigned_gpu_node: 2 }
  - company: beta
    teams: [beta-team]
    schedule:
      - { date: "2025-01-01", assigned_gpu_node: 1 }
      - { date: "2025-01-15", assigned_gpu_node: 0 }
  - company: gamma
    teams: [gamma-team]
    schedule: [{ date: "2025-02-01", assigned_gpu_node: 1 }]
`;
const TEAMS = ['alpha-team', 'beta-team', 'gamma-team'];
const CLOCK = '2025-02-01T03:00:00Z';

/** A system-metrics sample at a UTC instant with GPU utilisation values for GPUs 0, 1, …. */
const sample = (utc: string, utils: number[]) => ({
  _timestamp: Date.parse(`${utc}Z`) / 1000,
  _wandb: true,
  ...Object.fromEntries(utils.map((u, i) => [`system.gpu.${i}.gpu`, u])),
});
const run = (
  entity: string,
  project: string,
  name: string,
  host: string,
  createdAt: string,
  heartbeatAt: string,
  gpuCount: number,
  extra: object,
) => ({
  entity,
  project,
  name,
  displayName: name,
  state: 'finished',
  tags: [],
  host,
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
  projects: [
    { entity: 'alpha-team', name: 'llm' },
    { entity: 'alpha-team', name: 'vision' },
    { entity: 'beta-team', name: 'llm' },
    { entity: 'gamma-team', name: 'llm' },
    { entity: 'dash', name: 'board' },
  ].map((p) => ({ ...p, createdAt: '2025-01-01T00:00:00' })),
  runs: [
    run('alpha-team', 'llm', 'a1', 'a-node-1', '2025-01-06T00:00:00', '2025-01-06T10:00:00', 8, {
      user: { username: 'aiko' },
      systemMetrics: [sample('2025-01-06T01:00:00', [50, 75])],
    }),
    run('alpha-team', 'llm', 'a2', 'a-node-2', '2025-01-21T00:00:00', '2025-01-21T12:00:00', 16, {
      user: { username: 'ben' },
      systemMetrics: [sample('2025-01-21T01:00:00', [70, 80])],
    }),
    run('alpha-team', 'vision', 'a3', 'a-node-3', '2025-01-10T01:00:00', '2025-01-10T05:00:00', 8, {
      user: { username: 'ben' },
    }),
    run('alpha-team', 'vision', 'a4', 'a-node-3', '2025-01-10T03:00:00', '2025-01-10T07:00:00', 8, {
      user: { username: 'ben' },
    }),
    // user null: W&B names no user (a seeded run without `user` would be the API key's user).
    run('alpha-team', 'llm', 'a5', 'a-node-1', '2025-01-25T00:00:00', '2025-01-25T03:30:00', 8, {
      user: null,
      systemMetrics: [sample('2025-01-25T01:00:00', [20, 30])],
    }),
    run('beta-team', 'llm', 'b1', 'b-node-1', '2025-01-08T00:00:00', '2025-01-08T06:00:00', 8, {
      user: { username: 'fumi' },
    }),
    // 01-14 20:00 – 01-15 04:00 JST; the 13:00 UTC sample is 22:00 JST on 01-14, the 17:00 one 02:00 on 01-15.
    run('beta-team', 'llm', 'b2', 'b-node-2', '2025-01-14T11:00:00', '2025-01-14T19:00:00', 8, {
      user: { username: 'fumi' },
      systemMetrics: [sample('2025-01-14T13:00:00', [50]), sample('2025-01-14T17:00:00', [100])],
    }),
  ],
};

/** All days of January except the given ones (alpha's and beta's grid days without use). */
const januaryDaysExcept = (last: number, used: number[]): string[] =>
  Array.from({ length: last }, (_, i) => i + 1)
    .filter((d) => !used.includes(d))
    .map((d) => `2025-01-${String(d).padStart(2, '0')}`);

type Cell = string | number | boolean | null;
/** A statement line as [section, item, value, busy_gpu_hour, n_runs, detail]. */
type Line = Cell[];
const STATEMENT_COLUMNS = ['section', 'item', 'value', 'busy_gpu_hour', 'n_runs', 'detail'];

const ALPHA_SCHEDULE: Line[] = [
  ['schedule', '2025-01-01', 1, null, null, 'nodes'],
  ['schedule', '2025-01-20', 2, null, null, 'nodes'],
];
const BETA_SCHEDULE: Line[] = [
  ['schedule', '2025-01-01', 1, null, null, 'nodes'],
  ['schedule', '2025-01-15', 0, null, null, 'nodes'],
];

// alpha, January (31 grid days: 01-01…01-19 with 1 node, 01-20…01-31 with 2):
//   assigned_gpu_node 19 × 1 + 12 × 2 = 43; assigned_gpu_hour 19 × 192 + 12 × 384 = 3648 + 4608 = 8256;
//   total 80 + 64 + 192 + 28 = 364 (no day capped, so _total_gpu_hour 364 too);
//   GPU稼働率 364 / 8256 = 4.409 % → 4.4; busy 50 + 144 + 7 = 201; idle 8256 − 364 = 7892; unmeasured 64;
//   実効 201 / 8256 = 2.435 % → 2.4; n_runs a1…a5 = 5; total_metrics_hour 10 + 12 + 3.5 = 25.5;
//   平均GPUパフォーマンス率 (62.5 × 10 + 75 × 12 + 25 × 3.5) / 25.5 = 1612.5 / 25.5 = 63.24 → 63.2;
//   最大GPUパフォーマンス率 max(75, 80, 30) = 80.
const ALPHA_TOTALS: Record<string, number> = {
  assigned_gpu_node: 43,
  assigned_gpu_hour: 8256,
  '合計GPU使用時間(h)': 364,
  _total_gpu_hour: 364,
  'GPU稼働率(%)': 4.4,
  busy_gpu_hour: 201,
  idle_gpu_hour: 7892,
  unmeasured_gpu_hour: 64,
  '実効GPU稼働率(%)': 2.4,
  n_runs: 5,
  total_metrics_hour: 25.5,
  '平均GPUパフォーマンス率(%)': 63.2,
  '最大GPUパフォーマンス率(%)': 80,
};
// beta, January 01…14 only (14 grid days; b2's 01-15 row lies on a 0-node day):
//   assigned_gpu_node 14; assigned_gpu_hour 14 × 192 = 2688; total 48 + 32 = 80; GPU稼働率 80 / 2688 = 2.976 %
//   → 3.0; busy 16; idle 2688 − 80 = 2608; unmeasured 48; 実効 16 / 2688 = 0.595 % → 0.6; n_runs 2;
//   total_metrics_hour 4 (b2's 01-14 row); 平均GPUパフォーマンス率 50 × 4 / 4 = 50; 最大 50 (the 100 is on 01-15).
const BETA_TOTALS: Record<string, number> = {
  assigned_gpu_node: 14,
  assigned_gpu_hour: 2688,
  '合計GPU使用時間(h)': 80,
  _total_gpu_hour: 80,
  'GPU稼働率(%)': 3,
  busy_gpu_hour: 16,
  idle_gpu_hour: 2608,
  unmeasured_gpu_hour: 48,
  '実効GPU稼働率(%)': 0.6,
  n_runs: 2,
  total_metrics_hour: 4,
  '平均GPUパフォーマンス率(%)': 50,
  '最大GPUパフォーマンス率(%)': 50,
};

// [section, item, value (GPU h), busy, n_runs, detail], GPU-hours descending.
// alpha projects: llm a1 80 + a2 192 + a5 28 = 300, busy 50 + 144 + 7 = 201, 3 runs; vision a3 + a4 = 64, 2 runs.
// alpha users: ben a2 192 + a3 32 + a4 32 = 256, busy 144, 3 runs; aiko a1 80, busy 50; a5 (no user) 28, busy 7.
const ALPHA_LINES: Line[] = [
  ['project', 'llm', 300, 201, 3, ''],
  ['project', 'vision', 64, 0, 2, ''],
  ['user', 'ben', 256, 144, 3, ''],
  ['user', 'aiko', 80, 50, 1, ''],
  ['user', '(unknown)', 28, 7, 1, ''],
  // a3 10:00–14:00 and a4 12:00–16:00 JST on a-node-3 overlap from 12:00 to 14:00.
  [
    'duplicate_init',
    'a-node-3',
    null,
    null,
    2,
    'alpha-team vision: a3, a4 (2025-01-10T12:00:00 – 2025-01-10T14:00:00)',
  ],
  // Grid days without rows: every January day but 06, 10, 21 and 25 (27 days).
  ...januaryDaysExcept(31, [6, 10, 21, 25]).map((d): Line => ['day_without_use', d, null, null, null, '']),
];
// beta: b1 48 + b2's 01-14 row 32 = 80 GPU h, busy 16, 2 runs, all fumi's and all in llm.
const BETA_LINES: Line[] = [
  ['project', 'llm', 80, 16, 2, ''],
  ['user', 'fumi', 80, 16, 2, ''],
  // Grid days 01-01…01-14 but 08 and 14 (12 days).
  ...januaryDaysExcept(14, [8, 14]).map((d): Line => ['day_without_use', d, null, null, null, '']),
];

let dir: string;
let server: LocalWandb;
let job: Awaited<ReturnType<typeof runCliCaptured>>;

const cli = (argv: string[]) =>
  runCliCaptured(argv, {
    cwd: dir,
    env: { WANDB_BASE_URL: server.url, WANDB_API_KEY: API_KEY },
    clock: fixedClock(CLOCK),
  });
const clientOf = (on: LocalWandb) => createWandbClient({ baseUrl: on.url, apiKey: API_KEY });

/** Runs of the dashboard project matching a W&B filter. */
const dashboardRuns = (filters: object, on: LocalWandb = server): Promise<RunNode[]> =>
  listRuns(clientOf(on), { entity: 'dash', project: 'board', filters });

/** The bytes of the file a run's summary references under `key` (a table-file or an html-file). */
async function summaryFile(
  node: RunNode,
  key: string,
  on: LocalWandb = server,
): Promise<{ type: unknown; text: string }> {
  const ref = (node.summaryMetrics as Record<string, { _type?: unknown; path?: unknown }>)[key];
  expect(typeof ref?.path, `${node.displayName} ${key}`).toBe('string');
  const path = ref!.path as string;
  const runRef = { entity: 'dash', project: 'board', run: node.name };
  const [link] = await runFileLinks(clientOf(on), runRef, [path]);
  expect(link, `${node.displayName} ${path} uploaded`).toBeDefined();
  return { type: ref!._type, text: (await downloadRunFile(clientOf(on), link!)).toString('utf8') };
}

/** A W&B Table logged on a run, as {columns, rows}. */
async function summaryTable(
  node: RunNode,
  key: string,
  on: LocalWandb = server,
): Promise<{ columns: string[]; rows: Cell[][] }> {
  const { type, text } = await summaryFile(node, key, on);
  expect(type).toBe('table-file');
  const parsed = parseTableJson(text);
  if (!parsed.ok) throw new Error(`${key}: ${parsed.reason}`);
  return { columns: [...parsed.table.columns], rows: parsed.table.rows.map((r) => [...r]) };
}

/** The `Tables_2025-01-31` run of a company. */
async function jobRun(company: string, on: LocalWandb = server): Promise<RunNode> {
  const runs = (await dashboardRuns({ display_name: 'Tables_2025-01-31' }, on)).filter((r) =>
    r.tags.includes(company),
  );
  expect(runs, company).toHaveLength(1);
  return runs[0]!;
}

/** A statement CSV's lines with the Table's cell types: numbers as numbers, empty number cells as null. */
function csvLines(text: string): { columns: string[]; rows: Cell[][] } {
  const [header, ...rows] = parse(text) as string[][];
  const numeric = new Set(['value', 'busy_gpu_hour', 'n_runs']);
  return {
    columns: header!,
    rows: rows.map((row) =>
      row.map((cell, i) => (numeric.has(header![i]!) ? (cell === '' ? null : Number(cell)) : cell)),
    ),
  };
}

const totalsOf = (rows: Cell[][]): Record<string, Cell> =>
  Object.fromEntries(rows.filter((r) => r[0] === 'total').map((r) => [r[1] as string, r[2]!]));
const sectionLines = (rows: Cell[][], sections: string[]): Cell[][] =>
  rows.filter((r) => sections.includes(r[0] as string));

const EXPECTED = {
  alpha: { schedule: ALPHA_SCHEDULE, totals: ALPHA_TOTALS, lines: ALPHA_LINES },
  beta: { schedule: BETA_SCHEDULE, totals: BETA_TOTALS, lines: BETA_LINES },
} as const;

/** A company's January statement lines against the hand-computed ones. */
function expectStatement(rows: Cell[][], company: 'alpha' | 'beta'): void {
  const expected = EXPECTED[company];
  expect(rows.slice(0, 3), company).toEqual([
    ['statement', 'company', null, null, null, company],
    ['statement', 'month', null, null, null, '2025-01'],
    ['statement', 'through', null, null, null, '2025-01-31'],
  ]);
  expect(sectionLines(rows, ['schedule']), company).toEqual(expected.schedule);
  const totals = totalsOf(rows);
  for (const [column, value] of Object.entries(expected.totals)) {
    expect(totals[column], `${company} ${column}`).toBe(value);
  }
  expect(sectionLines(rows, ['project', 'user', 'duplicate_init', 'day_without_use']), company).toEqual(
    expected.lines,
  );
  // The sections come in the documented order, and there are no others.
  const order = ['statement', 'schedule', 'total', 'project', 'user', 'duplicate_init', 'day_without_use'];
  const sections = rows.map((r) => order.indexOf(r[0] as string));
  expect(sections).not.toContain(-1);
  expect(sections).toEqual([...sections].sort((a, b) => a - b));
}

beforeAll(async () => {
  ({ dir, server } = await makeWorld({ name: 'run-statement', config: CONFIG, seed: SEED }));
  job = await cli([
    'run',
    '--config',
    'config.yaml',
    '--start-date',
    '2025-01-01',
    '--end-date',
    '2025-01-31',
    '--out',
    'out',
  ]);
}, 120_000);
afterAll(() => server?.close());

describe('run at a month’s end: the month-end statements on the company runs (T = 2025-01-31)', () => {
  it('exits 0', () => {
    expect(job.code, job.stderr).toBe(0);
  });

  it('logs the statement Table and page on alpha’s and beta’s runs, beta’s without latest, none for gamma', async () => {
    const runs = await dashboardRuns({ display_name: 'Tables_2025-01-31' });
    const tags = runs.map((r) => [...r.tags].sort().join(' ')).sort();
    // gamma has no node in January: no run, so no statement. beta has no node on T: no latest.
    expect(tags).toEqual(['alpha latest', 'beta', 'latest overall']);
    for (const company of ['alpha', 'beta']) {
      const node = await jobRun(company);
      const summary = node.summaryMetrics as Record<string, { _type?: unknown }>;
      expect(summary.company_monthly_statement?._type, company).toBe('table-file');
      expect(summary.company_statement?._type, company).toBe('html-file');
      const table = await summaryTable(node, 'company_monthly_statement');
      expect(table.columns).toEqual(STATEMENT_COLUMNS);
    }
    const overall = runs.find((r) => r.tags.includes('overall'))!;
    const summary = overall.summaryMetrics as Record<string, unknown>;
    expect(summary.company_monthly_statement).toBeUndefined();
    expect(summary.company_statement).toBeUndefined();
  });

  it('gives totals equal to the monthly table’s row, column by column', async () => {
    const monthly = parse(await readFile(join(dir, 'out', 'monthly.csv')), { columns: true }) as Record<
      string,
      string
    >[];
    for (const company of ['alpha', 'beta']) {
      const row = monthly.filter((r) => r.企業名 === company && r.年月 === '2025-01');
      expect(row, company).toHaveLength(1);
      const totals = totalsOf((await summaryTable(await jobRun(company), 'company_monthly_statement')).rows);
      const numericColumns = Object.keys(row[0]!).filter((c) => c !== '企業名' && c !== '年月');
      // Every numeric column of the monthly row has its total line, with the same number.
      expect(Object.keys(totals).sort(), company).toEqual([...numericColumns].sort());
      for (const column of numericColumns) {
        expect(totals[column], `${company} ${column}`).toBe(Number(row[0]![column]));
      }
    }
    expect(monthly.filter((r) => r.企業名 === 'gamma')).toEqual([]);
  });

  it('holds alpha’s schedule, hand-computed totals, projects, users, duplicate-init group and idle days', async () => {
    expectStatement((await summaryTable(await jobRun('alpha'), 'company_monthly_statement')).rows, 'alpha');
  });

  it('holds beta’s schedule to its end and totals over January 1–14 only', async () => {
    expectStatement((await summaryTable(await jobRun('beta'), 'company_monthly_statement')).rows, 'beta');
  });

  it('logs a self-contained statement page naming the company and month', async () => {
    for (const company of ['alpha', 'beta']) {
      const { type, text } = await summaryFile(await jobRun(company), 'company_statement');
      expect(type).toBe('html-file');
      expect(text).toContain(`GPU statement — ${company} — 2025-01`);
    }
  });
});

describe('gpu-dashboard statement --month 2025-01', () => {
  let viaApi: Awaited<ReturnType<typeof runCliCaptured>>;
  let offline: Awaited<ReturnType<typeof runCliCaptured>>;
  beforeAll(async () => {
    viaApi = await cli(['statement', '--config', 'config.yaml', '--month', '2025-01', '--out', 'st1']);
    offline = await runCliCaptured(
      [
        'statement',
        '--config',
        'config.yaml',
        '--month',
        '2025-01',
        '--dataset',
        join('out', 'dataset.csv'),
        '--out',
        'st2',
      ],
      // No W&B at all: the dataset file is enough.
      { cwd: dir, env: {}, clock: fixedClock(CLOCK) },
    );
  }, 60_000);

  it('writes an HTML page and a CSV for alpha and beta, nothing for gamma, from the API and offline', async () => {
    expect(viaApi.code, viaApi.stderr).toBe(0);
    expect(offline.code, offline.stderr).toBe(0);
    const files = [
      'statement-2025-01-alpha.csv',
      'statement-2025-01-alpha.html',
      'statement-2025-01-beta.csv',
      'statement-2025-01-beta.html',
    ];
    expect((await readdir(join(dir, 'st1'))).sort()).toEqual(files);
    expect((await readdir(join(dir, 'st2'))).sort()).toEqual(files);
    for (const company of ['alpha', 'beta']) {
      const name = `statement-2025-01-${company}.csv`;
      const api = await readFile(join(dir, 'st1', name), 'utf8');
      expect(await readFile(join(dir, 'st2', name), 'utf8'), name).toBe(api);
    }
  });

  it('writes CSVs holding the lines of the job’s company_monthly_statement Table', async () => {
    for (const company of ['alpha', 'beta']) {
      const csv = csvLines(await readFile(join(dir, 'st1', `statement-2025-01-${company}.csv`), 'utf8'));
      const table = await summaryTable(await jobRun(company), 'company_monthly_statement');
      expect(csv.columns).toEqual(STATEMENT_COLUMNS);
      expect(csv.rows, company).toEqual(table.rows);
    }
  });

  it('writes self-contained pages that name the company and the month', async () => {
    for (const company of ['alpha', 'beta']) {
      const html = await readFile(join(dir, 'st1', `statement-2025-01-${company}.html`), 'utf8');
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/https?:/i);
      expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'/);
      expect(html).toContain(company);
      expect(html).toContain('2025-01');
      expect(html).toContain(`GPU statement — ${company} — 2025-01`);
    }
  });

  it.each([
    [['--month', '2025-13'], '--month'],
    // The clock is 2025-02-01 12:00 JST: March has no day before today yet.
    [['--month', '2025-03'], '--month'],
    [['--month', '2025-01', '--company', 'gamma'], '--company'],
    [['--month', '2025-01', '--company', 'nosuch'], '--company'],
  ])('exits 2 on %j, naming %s', async (args, flag) => {
    const result = await cli([
      'statement',
      '--config',
      'config.yaml',
      ...args,
      '--dataset',
      join('out', 'dataset.csv'),
      '--out',
      'st-bad',
    ]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`${flag}:`);
  });
});

describe('gpu-dashboard statement --publish', () => {
  const publish = () =>
    cli([
      'statement',
      '--config',
      'config.yaml',
      '--month',
      '2025-01',
      '--company',
      'alpha',
      '--publish',
      '--out',
      'st3',
    ]);

  it('logs alpha’s statement to one Statement_2025-01 run, and a second publish updates it', async () => {
    const first = await publish();
    expect(first.code, first.stderr).toBe(0);
    const runs = await dashboardRuns({ display_name: 'Statement_2025-01' });
    expect(runs.map((r) => r.tags)).toEqual([['alpha']]);
    const ofJobType = await dashboardRuns({ jobType: 'statement' });
    expect(ofJobType.map((r) => r.name)).toEqual(runs.map((r) => r.name));
    const table = await summaryTable(runs[0]!, 'company_monthly_statement');
    const job = await summaryTable(await jobRun('alpha'), 'company_monthly_statement');
    expect(table.rows).toEqual(job.rows);
    expect((await summaryFile(runs[0]!, 'company_statement')).type).toBe('html-file');

    const second = await publish();
    expect(second.code, second.stderr).toBe(0);
    const again = await dashboardRuns({ display_name: 'Statement_2025-01' });
    expect(again.map((r) => [r.name, r.tags])).toEqual([[runs[0]!.name, ['alpha']]]);
  }, 60_000);
});

describe('run: the night of the month’s last day alone, after a backfill of the rest of the month', () => {
  // beta has no node on 2025-01-31, so the night's range [01-31, 01-31] alone would give it no run: only
  // its January statement does, and that night reads January's rows from the dataset artifact.
  let nightly: LocalWandb;
  const results: Awaited<ReturnType<typeof runCliCaptured>>[] = [];
  beforeAll(async () => {
    const nightDir = await tempDir('run-statement-night-');
    await writeFile(join(nightDir, 'config.yaml'), CONFIG);
    nightly = await startTestServer({ seed: join(dir, 'seed.json') });
    for (const [args, at] of [
      [['--start-date', '2025-01-01', '--end-date', '2025-01-30'], '2025-01-31T03:00:00Z'],
      [[], CLOCK],
    ] as const) {
      results.push(
        await runCliCaptured(['run', '--config', 'config.yaml', ...args], {
          cwd: nightDir,
          env: { WANDB_BASE_URL: nightly.url, WANDB_API_KEY: API_KEY },
          clock: fixedClock(at),
        }),
      );
    }
  }, 120_000);
  afterAll(() => nightly?.close());

  it('gives beta a Tables_2025-01-31 run without latest holding its whole January statement', async () => {
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const runs = await dashboardRuns({ display_name: 'Tables_2025-01-31' }, nightly);
    expect(runs.map((r) => [...r.tags].sort().join(' ')).sort()).toEqual([
      'alpha latest',
      'beta',
      'latest overall',
    ]);
    for (const company of ['alpha', 'beta'] as const) {
      const node = await jobRun(company, nightly);
      expectStatement((await summaryTable(node, 'company_monthly_statement', nightly)).rows, company);
      expect((await summaryFile(node, 'company_statement', nightly)).type).toBe('html-file');
    }
  });
});
