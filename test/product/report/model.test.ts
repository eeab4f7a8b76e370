import { describe, expect, it } from 'vitest';
import { DUPLICATE_INIT_TITLE } from '../../../src/product/alert/duplicate-init.js';
import { buildDashboardView, CHART_DAYS } from '../../../src/product/report/model.js';
import type { AlertItem, DashboardData } from '../../../src/product/report/types.js';
import { addDays, type IsoDate } from '../../../src/product/shared/dates.js';
import { published, summaryData, usage, usageData } from '../../helpers/report.js';

const alert = (title: string, target: string, text = 'x'): AlertItem => ({
  title,
  text,
  severity: 'WARN',
  target,
  time: `${target}T21:00:00Z`,
});

// alpha: 1 node (192 h/day) on Jan 2–3 and a run tagged [alpha, latest]; beta: 2 nodes (384 h/day)
// on Jan 1 only, its allocation over, so only the overall run has its rows.
const daily = [
  usage('alpha', '2025-01-03', 96, 192),
  usage('alpha', '2025-01-02', 48, 192),
  usage('beta', '2025-01-01', 384, 384),
];
const weekly = [usage('alpha', '2024-12-29', 144, 384), usage('beta', '2024-12-29', 384, 384)];
const data: DashboardData = {
  entity: 'dash',
  project: 'board',
  tag: 'latest',
  runs: [
    published('alpha', '2025-01-03', {
      company_daily_gpu_usage: usageData('daily', daily.slice(0, 2)),
      company_weekly_gpu_usage: usageData('weekly', weekly.slice(0, 1)),
      company_summary: summaryData([
        {
          company: 'alpha',
          team: 'alpha-team',
          project: 'llm',
          totalHours: 144,
          totalRuns: 2,
          masterNodeRuns: 0,
          overlapRuns: 1,
          ignoreRuns: 0,
        },
      ]),
    }),
    published('overall', '2025-01-03', {
      daily_gpu_usage: usageData('daily', daily),
      weekly_gpu_usage: usageData('weekly', weekly),
    }),
  ],
  alerts: [
    alert(DUPLICATE_INIT_TITLE, '2025-01-02'),
    alert('Low utilization: alpha', '2025-01-03'),
    alert(DUPLICATE_INIT_TITLE, '2025-01-03'),
  ],
};

describe('buildDashboardView', () => {
  const view = buildDashboardView(data);

  it('takes T from the overall run and lists it first among the runs', () => {
    expect(view.target).toBe('2025-01-03');
    expect(view.runs.map((r) => r.tag)).toEqual(['overall', 'alpha']);
    expect(view.problems).toEqual([]);
  });

  it('draws a company with a latest run from its own tables, oldest day first', () => {
    const alpha = view.companies.find((c) => c.company === 'alpha');
    expect(alpha?.daily).toEqual([
      { period: '2025-01-02', gpuHours: 48, assignedHours: 192, utilization: 25, nodes: 1 },
      { period: '2025-01-03', gpuHours: 96, assignedHours: 192, utilization: 50, nodes: 1 },
    ]);
    expect(alpha?.weekly).toEqual([
      { period: '2024-12-29', gpuHours: 144, assignedHours: 384, utilization: 37.5, nodes: 2 },
    ]);
    expect(alpha?.summary?.rows).toEqual([['alpha-team', 'llm', 144, 2, 0, 1, 0]]);
    expect(alpha?.problems).toEqual([]);
  });

  it('draws a company whose allocation ended from the overall tables, and says so', () => {
    const beta = view.companies.find((c) => c.company === 'beta');
    expect(beta?.daily).toEqual([
      { period: '2025-01-01', gpuHours: 384, assignedHours: 384, utilization: 100, nodes: 2 },
    ]);
    expect(beta?.weekly.map((p) => p.gpuHours)).toEqual([384]);
    expect(beta?.summary).toBeUndefined();
    expect(beta?.problems).toEqual([
      "no run holds [beta, latest] (no nodes on the tables date): charts from the overall run's tables",
    ]);
  });

  it('lays out the heatmap as company × date with gaps where a company had no allocation', () => {
    expect(view.heatmap.dates).toEqual(['2025-01-01', '2025-01-02', '2025-01-03']);
    expect(view.heatmap.rows.map((r) => [r.company, r.cells.map((c) => c?.utilization)])).toEqual([
      ['alpha', [undefined, 25, 50]],
      ['beta', [100, undefined, undefined]],
    ]);
  });

  it('splits alerts into duplicate-init findings and the rest, newest first', () => {
    expect(view.duplicateInit.map((a) => a.target)).toEqual(['2025-01-03', '2025-01-02']);
    expect(view.otherAlerts.map((a) => a.title)).toEqual(['Low utilization: alpha']);
  });

  it(`keeps the newest ${CHART_DAYS} days of a long table`, () => {
    // Jan 1 … Feb 9, newest first as the tables list them; the newest 31 start on Jan 10.
    const days = Array.from({ length: 40 }, (_, i) =>
      usage('alpha', addDays('2025-02-09' as IsoDate, -i), 1, 192),
    );
    const long = buildDashboardView({
      ...data,
      runs: [published('alpha', '2025-02-09', { company_daily_gpu_usage: usageData('daily', days) })],
    });
    const points = long.companies[0]?.daily ?? [];
    expect(points).toHaveLength(CHART_DAYS);
    expect(points[0]?.period).toBe('2025-01-10');
    expect(points.at(-1)?.period).toBe('2025-02-09');
  });

  it('reports what it cannot draw: no overall run, a table without a column, an unreadable file', () => {
    const broken = buildDashboardView({
      ...data,
      runs: [
        {
          ...published('alpha', '2025-01-03', {
            company_daily_gpu_usage: { columns: ['企業名', '日付'], rows: [['alpha', '2025-01-03']] },
          }),
          unreadable: [{ key: 'company_summary', reason: 'media/table/s.table.json was not uploaded' }],
        },
      ],
      alerts: [],
    });
    expect(broken.problems).toEqual(['no run tagged [overall, latest]']);
    expect(broken.companies[0]?.problems).toEqual([
      'company_summary: media/table/s.table.json was not uploaded',
      'company_daily_gpu_usage has no column 合計GPU使用時間(h), assigned_gpu_hour, GPU稼働率(%), assigned_gpu_node',
      'company_weekly_gpu_usage was not published',
      'company_summary was not published',
    ]);
    expect(broken.heatmap).toEqual({ dates: [], rows: [] });
  });
});
