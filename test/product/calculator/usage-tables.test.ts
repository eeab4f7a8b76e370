import { describe, expect, it } from 'vitest';
import { calculateTables } from '../../../src/product/calculator/build-tables.js';
import type { UsageRow } from '../../../src/product/calculator/periods.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import { makeConfig, makeRunDay } from '../../helpers/builders.js';

// A hand-worked scenario (docs/behaviour.md §6). T = 2025-01-09, a Thursday; weeks start on Sunday, so the
// weeks are Dec 29 – Jan 4 and Jan 5 – Jan 11 (partial: up to T).
// alpha: 2 nodes from Mon 2024-12-30, 1 node from Wed 2025-01-08 (mid-week, mid-month), still running at T.
// beta: 1 node from 2025-01-02, ended (0 nodes) on 2025-01-05, inside the range.
const T = '2025-01-09' as IsoDate;
const raw = {
  ignore_tags: ['other_gpu'],
  companies: [
    {
      company: 'alpha',
      teams: ['alpha-team'],
      schedule: [
        { date: '2024-12-30', assigned_gpu_node: 2 },
        { date: '2025-01-08', assigned_gpu_node: 1 },
      ],
    },
    {
      company: 'beta',
      teams: ['beta-team'],
      schedule: [
        { date: '2025-01-02', assigned_gpu_node: 1 },
        { date: '2025-01-05', assigned_gpu_node: 0 },
      ],
    },
  ],
};
const config = makeConfig(raw);

const metrics = (util: number, maxUtil: number, mem: number, maxMem: number) => ({
  average_gpu_utilization: util,
  max_gpu_utilization: maxUtil,
  average_gpu_memory: mem,
  max_gpu_memory: maxMem,
});

const rows = [
  // Jan 8 (1 node, 192 h): 20 h × 16 GPUs + 4 h × 8 GPUs = 352 h, capped at 192; only r1 has metrics.
  makeRunDay({
    date: '2025-01-08',
    run_id: 'r1',
    duration_hour: 20,
    gpu_count: 16,
    ...metrics(50, 90, 30, 40),
  }),
  makeRunDay({ date: '2025-01-08', run_id: 'r2', duration_hour: 4, gpu_count: 8 }),
  // Jan 9: 80 + 16 + 24 = 120 h; metric hours 12; util (80·10 + 20·2) / 12 = 70; mem (20·10 + 10·2) / 12 = 18.33.
  makeRunDay({
    date: '2025-01-09',
    run_id: 'r3',
    duration_hour: 10,
    gpu_count: 8,
    ...metrics(80, 95, 20, 50),
  }),
  makeRunDay({
    date: '2025-01-09',
    run_id: 'r4',
    duration_hour: 2,
    gpu_count: 8,
    ...metrics(20, 30, 10, 15),
  }),
  makeRunDay({ date: '2025-01-09', run_id: 'r5', duration_hour: 3, gpu_count: 8 }),
  // Dec 31 (2 nodes, 384 h): 5.5 h × 8 = 44 h.
  makeRunDay({
    date: '2024-12-31',
    run_id: 'r6',
    duration_hour: 5.5,
    gpu_count: 8,
    ...metrics(40, 60, 25, 30),
  }),
  // Left out of every usage table: ignore-tagged (case differs), deleted, unknown team, after T, before the schedule.
  makeRunDay({
    date: '2025-01-03',
    run_id: 'r7',
    duration_hour: 10,
    tags: ['Other_GPU'],
    ...metrics(99, 99, 99, 99),
  }),
  makeRunDay({ date: '2025-01-03', run_id: 'r8', duration_hour: 10, extra: { run_exists: 'deleted' } }),
  makeRunDay({ date: '2025-01-03', company_name: 'ghost-team', run_id: 'g1', duration_hour: 10 }),
  makeRunDay({ date: '2025-01-10', run_id: 'r9', duration_hour: 10 }),
  makeRunDay({ date: '2024-12-29', run_id: 'r10', duration_hour: 10 }),
  // beta: a full day on Jan 4, and a row on a 0-node day after the allocation ended.
  makeRunDay({
    date: '2025-01-04',
    company_name: 'beta-team',
    run_id: 'b1',
    duration_hour: 24,
    gpu_count: 8,
    ...metrics(99.5, 100, 60, 70),
  }),
  makeRunDay({
    date: '2025-01-06',
    company_name: 'beta-team',
    run_id: 'b2',
    duration_hour: 24,
    gpu_count: 8,
  }),
];

const zero = {
  totalGpuHour: 0,
  utilization: 0,
  avgPerformance: 0,
  maxPerformance: 0,
  avgMemory: 0,
  maxMemory: 0,
  nRuns: 0,
  rawTotalGpuHour: 0,
  totalMetricsHour: 0,
};
/** A row's §6 columns: the §13 ones are checked on their own below. */
type Section6Row = Omit<
  UsageRow,
  'busyGpuHour' | 'idleGpuHour' | 'unmeasuredGpuHour' | 'effectiveUtilization'
>;
const section6 = ({
  busyGpuHour: _b,
  idleGpuHour: _i,
  unmeasuredGpuHour: _u,
  effectiveUtilization: _e,
  ...rest
}: UsageRow): Section6Row => rest;
const idle = (company: string, period: string, nodes: number): Section6Row => ({
  company,
  period,
  ...zero,
  assignedGpuNode: nodes,
  assignedGpuHour: nodes * 8 * 24,
});

describe('usage tables on a hand-worked scenario', () => {
  const result = calculateTables(rows, config, T);

  it('daily: one row per grid day up to T, capped, weighted, newest first per company', () => {
    expect(result.usage.daily.map(section6)).toEqual([
      {
        company: 'alpha',
        period: '2025-01-09',
        totalGpuHour: 120,
        utilization: 62.5,
        avgPerformance: 70,
        maxPerformance: 95,
        avgMemory: 18.3,
        maxMemory: 50,
        nRuns: 3,
        assignedGpuNode: 1,
        assignedGpuHour: 192,
        rawTotalGpuHour: 120,
        totalMetricsHour: 12,
      },
      {
        company: 'alpha',
        period: '2025-01-08',
        totalGpuHour: 192,
        utilization: 100,
        avgPerformance: 50,
        maxPerformance: 90,
        avgMemory: 30,
        maxMemory: 40,
        nRuns: 2,
        assignedGpuNode: 1,
        assignedGpuHour: 192,
        rawTotalGpuHour: 352,
        totalMetricsHour: 20,
      },
      ...[
        '2025-01-07',
        '2025-01-06',
        '2025-01-05',
        '2025-01-04',
        '2025-01-03',
        '2025-01-02',
        '2025-01-01',
      ].map((d) => idle('alpha', d, 2)),
      {
        company: 'alpha',
        period: '2024-12-31',
        totalGpuHour: 44,
        utilization: 11.5,
        avgPerformance: 40,
        maxPerformance: 60,
        avgMemory: 25,
        maxMemory: 30,
        nRuns: 1,
        assignedGpuNode: 2,
        assignedGpuHour: 384,
        rawTotalGpuHour: 44,
        totalMetricsHour: 5.5,
      },
      idle('alpha', '2024-12-30', 2),
      {
        company: 'beta',
        period: '2025-01-04',
        totalGpuHour: 192,
        utilization: 100,
        avgPerformance: 99.5,
        maxPerformance: 100,
        avgMemory: 60,
        maxMemory: 70,
        nRuns: 1,
        assignedGpuNode: 1,
        assignedGpuHour: 192,
        rawTotalGpuHour: 192,
        totalMetricsHour: 24,
      },
      idle('beta', '2025-01-03', 1),
      idle('beta', '2025-01-02', 1),
    ]);
  });

  it('weekly: partial current week, node-days and capped daily totals add up', () => {
    expect(result.usage.weekly.map(section6)).toEqual([
      // Jan 5–9: 3 days × 2 nodes + 2 days × 1 node = 8 node-days, 1536 h; 192 + 120 = 312 h (uncapped 472).
      // util 312 / 1536 = 20.31 %; perf (1000 + 840) / 32 = 57.5; memory (600 + 220) / 32 = 25.625 → 25.6.
      {
        company: 'alpha',
        period: '2025-01-05',
        totalGpuHour: 312,
        utilization: 20.3,
        avgPerformance: 57.5,
        maxPerformance: 95,
        avgMemory: 25.6,
        maxMemory: 50,
        nRuns: 5,
        assignedGpuNode: 8,
        assignedGpuHour: 1536,
        rawTotalGpuHour: 472,
        totalMetricsHour: 32,
      },
      // Dec 29 – Jan 4: grid days Dec 30 … Jan 4 = 6 days × 2 nodes; 44 / 2304 = 1.91 %.
      {
        company: 'alpha',
        period: '2024-12-29',
        totalGpuHour: 44,
        utilization: 1.9,
        avgPerformance: 40,
        maxPerformance: 60,
        avgMemory: 25,
        maxMemory: 30,
        nRuns: 1,
        assignedGpuNode: 12,
        assignedGpuHour: 2304,
        rawTotalGpuHour: 44,
        totalMetricsHour: 5.5,
      },
      // beta has no grid day in the week of Jan 5, so no row for it.
      {
        company: 'beta',
        period: '2024-12-29',
        totalGpuHour: 192,
        utilization: 33.3,
        avgPerformance: 99.5,
        maxPerformance: 100,
        avgMemory: 60,
        maxMemory: 70,
        nRuns: 1,
        assignedGpuNode: 3,
        assignedGpuHour: 576,
        rawTotalGpuHour: 192,
        totalMetricsHour: 24,
      },
    ]);
  });

  it('monthly: the schedule change splits nothing; partial current month', () => {
    expect(result.usage.monthly.map(section6)).toEqual([
      // Jan 1–9: 7 × 2 + 2 × 1 = 16 node-days, 3072 h; 312 / 3072 = 10.16 %.
      {
        company: 'alpha',
        period: '2025-01',
        totalGpuHour: 312,
        utilization: 10.2,
        avgPerformance: 57.5,
        maxPerformance: 95,
        avgMemory: 25.6,
        maxMemory: 50,
        nRuns: 5,
        assignedGpuNode: 16,
        assignedGpuHour: 3072,
        rawTotalGpuHour: 472,
        totalMetricsHour: 32,
      },
      // Dec 30–31: 4 node-days, 768 h; 44 / 768 = 5.73 %.
      {
        company: 'alpha',
        period: '2024-12',
        totalGpuHour: 44,
        utilization: 5.7,
        avgPerformance: 40,
        maxPerformance: 60,
        avgMemory: 25,
        maxMemory: 30,
        nRuns: 1,
        assignedGpuNode: 4,
        assignedGpuHour: 768,
        rawTotalGpuHour: 44,
        totalMetricsHour: 5.5,
      },
      {
        company: 'beta',
        period: '2025-01',
        totalGpuHour: 192,
        utilization: 33.3,
        avgPerformance: 99.5,
        maxPerformance: 100,
        avgMemory: 60,
        maxMemory: 70,
        nRuns: 1,
        assignedGpuNode: 3,
        assignedGpuHour: 576,
        rawTotalGpuHour: 192,
        totalMetricsHour: 24,
      },
    ]);
  });

  it('overall: everything up to T', () => {
    // alpha: 20 node-days, 3840 h; 356 / 3840 = 9.27 %; perf (1840 + 220) / 37.5 = 54.93; memory (820 + 137.5) / 37.5 = 25.53.
    expect(result.usage.overall.map(section6)).toEqual([
      {
        company: 'alpha',
        period: undefined,
        totalGpuHour: 356,
        utilization: 9.3,
        avgPerformance: 54.9,
        maxPerformance: 95,
        avgMemory: 25.5,
        maxMemory: 50,
        nRuns: 6,
        assignedGpuNode: 20,
        assignedGpuHour: 3840,
        rawTotalGpuHour: 516,
        totalMetricsHour: 37.5,
      },
      {
        company: 'beta',
        period: undefined,
        totalGpuHour: 192,
        utilization: 33.3,
        avgPerformance: 99.5,
        maxPerformance: 100,
        avgMemory: 60,
        maxMemory: 70,
        nRuns: 1,
        assignedGpuNode: 3,
        assignedGpuHour: 576,
        rawTotalGpuHour: 192,
        totalMetricsHour: 24,
      },
    ]);
  });

  it('allocation insight (§13): busy, idle, unmeasured and effective utilisation, summed unrounded', () => {
    const insight = (rows: readonly UsageRow[]) =>
      rows.map((r) => [
        r.company,
        r.period,
        r.busyGpuHour,
        r.idleGpuHour,
        r.unmeasuredGpuHour,
        r.effectiveUtilization,
      ]);
    // Busy = hours × GPUs × util / 100 over rows with a utilisation; unmeasured = hours × GPUs without one;
    // idle = assigned − the day's capped total; effective = busy / assigned.
    expect(insight(result.usage.daily)).toEqual([
      // r3 10·8·0.8 = 64 + r4 2·8·0.2 = 3.2 → 67.2 busy; r5 3·8 = 24 unmeasured; 192 − 120 = 72 idle; 67.2 / 192 = 35 %.
      ['alpha', '2025-01-09', 67.2, 72, 24, 35],
      // r1 20·16·0.5 = 160 busy; r2 4·8 = 32 unmeasured; capped at 192, so 0 idle; 160 / 192 = 83.33 %.
      ['alpha', '2025-01-08', 160, 0, 32, 83.3],
      ...['07', '06', '05', '04', '03', '02', '01'].map((d) => ['alpha', `2025-01-${d}`, 0, 384, 0, 0]),
      // r6 5.5·8·0.4 = 17.6 busy; 384 − 44 = 340 idle; 17.6 / 384 = 4.58 %.
      ['alpha', '2024-12-31', 17.6, 340, 0, 4.6],
      ['alpha', '2024-12-30', 0, 384, 0, 0],
      // b1 24·8·0.995 = 191.04 busy; 191.04 / 192 = 99.5 %.
      ['beta', '2025-01-04', 191, 0, 0, 99.5],
      ['beta', '2025-01-03', 0, 192, 0, 0],
      ['beta', '2025-01-02', 0, 192, 0, 0],
    ]);
    expect(insight(result.usage.weekly)).toEqual([
      // 67.2 + 160 = 227.2 busy; 1536 − 312 = 1224 idle; 24 + 32 = 56 unmeasured; 227.2 / 1536 = 14.79 %.
      ['alpha', '2025-01-05', 227.2, 1224, 56, 14.8],
      // 2304 − 44 = 2260 idle; 17.6 / 2304 = 0.76 %.
      ['alpha', '2024-12-29', 17.6, 2260, 0, 0.8],
      // 576 − 192 = 384 idle; 191.04 / 576 = 33.17 %.
      ['beta', '2024-12-29', 191, 384, 0, 33.2],
    ]);
    expect(insight(result.usage.monthly)).toEqual([
      // 3072 − 312 = 2760 idle; 227.2 / 3072 = 7.40 %.
      ['alpha', '2025-01', 227.2, 2760, 56, 7.4],
      // 768 − 44 = 724 idle; 17.6 / 768 = 2.29 %.
      ['alpha', '2024-12', 17.6, 724, 0, 2.3],
      ['beta', '2025-01', 191, 384, 0, 33.2],
    ]);
    expect(insight(result.usage.overall)).toEqual([
      // 17.6 + 227.2 = 244.8 busy; 3840 − 356 = 3484 idle; 244.8 / 3840 = 6.375 % → 6.4.
      ['alpha', undefined, 244.8, 3484, 56, 6.4],
      ['beta', undefined, 191, 384, 0, 33.2],
    ]);
  });

  it('counts what it left out', () => {
    expect(result.counts).toMatchObject({
      rowsRead: 13,
      deletedRows: 1,
      ignoredRows: 1,
      unknownTeamRows: 1,
      unknownTeams: ['ghost-team'],
    });
  });

  it('columns in the order of docs/behaviour.md §6', () => {
    expect(result.tables.weekly.columns.map((c) => c.label)).toEqual([
      '企業名',
      '週開始日',
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
      'busy_gpu_hour',
      'idle_gpu_hour',
      'unmeasured_gpu_hour',
      '実効GPU稼働率(%)',
    ]);
    expect(result.tables.overall.columns.map((c) => c.label).slice(0, 2)).toEqual([
      '企業名',
      '合計GPU使用時間(h)',
    ]);
    expect(result.tables.daily.columns[1]?.label).toBe('日付');
    expect(result.tables.monthly.columns[1]?.label).toBe('年月');
  });
});

describe('a week that starts on Monday', () => {
  it('groups grid days into Monday weeks', () => {
    const monday = makeConfig({ ...raw, week_starts_on: 'monday', companies: [raw.companies[0]] });
    const weekly = calculateTables(rows, monday, T).usage.weekly;
    // Mon Dec 30 – Sun Jan 5: 7 days × 2 nodes = 14 node-days, 2688 h, 44 h used.
    // Mon Jan 6 – Thu Jan 9: 2 × 2 + 2 × 1 = 6 node-days, 1152 h, 312 h used → 27.08 %.
    expect(
      weekly.map((w) => [w.period, w.assignedGpuNode, w.assignedGpuHour, w.totalGpuHour, w.utilization]),
    ).toEqual([
      ['2025-01-06', 6, 1152, 312, 27.1],
      ['2024-12-30', 14, 2688, 44, 1.6],
    ]);
  });
});
