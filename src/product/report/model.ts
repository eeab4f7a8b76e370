import { DUPLICATE_INIT_TITLE } from '../alert/duplicate-init.js';
import { LABELS } from '../calculator/index.js';
import { compareCodePoints } from '../shared/compare.js';
import { OVERALL_TAG } from '../shared/names.js';
import { type OutlookLead, outlookLead } from './outlook-lead.js';
import type { AlertItem, DashboardData, PublishedRun, TableData } from './types.js';

/** Days of the daily chart and heatmap, and weeks of the weekly chart (the newest ones). */
export const CHART_DAYS = 31;
const CHART_WEEKS = 8;

/** One period of a usage table, as the charts need it. */
export type UsagePoint = {
  /** 日付 or 週開始日, YYYY-MM-DD. */
  readonly period: string;
  readonly gpuHours: number;
  readonly assignedHours: number;
  readonly utilization: number;
  readonly nodes: number;
};

export type CompanyView = {
  readonly company: string;
  readonly target: string | undefined;
  /** Oldest first. */
  readonly daily: readonly UsagePoint[];
  readonly weekly: readonly UsagePoint[];
  readonly summary: TableData | undefined;
  /** Why a chart or table is missing (a table not published or without an expected column). */
  readonly problems: readonly string[];
};

export type HeatmapView = {
  /** Oldest first. */
  readonly dates: readonly string[];
  /** Per company, one cell per date; undefined where the company had no allocation. */
  readonly rows: readonly { readonly company: string; readonly cells: readonly (UsagePoint | undefined)[] }[];
};

export type DashboardView = {
  readonly entity: string;
  readonly project: string;
  readonly tag: string;
  /** T of the overall run. */
  readonly target: string | undefined;
  /** The allocation outlook of T's month, `at risk` first; undefined when the overall run has none. */
  readonly outlook: readonly OutlookLead[] | undefined;
  readonly companies: readonly CompanyView[];
  readonly heatmap: HeatmapView;
  readonly duplicateInit: readonly AlertItem[];
  readonly otherAlerts: readonly AlertItem[];
  /** Every published run, overall first, then companies by name. */
  readonly runs: readonly PublishedRun[];
  readonly problems: readonly string[];
};

const DAILY = 'company_daily_gpu_usage';
const WEEKLY = 'company_weekly_gpu_usage';
const SUMMARY = 'company_summary';
const OVERALL_DAILY = 'daily_gpu_usage';
const OVERALL_WEEKLY = 'weekly_gpu_usage';

/** Turns what was published into what the page draws (pure). */
export function buildDashboardView(data: DashboardData): DashboardView {
  const runs = [...data.runs].sort(
    (a, b) =>
      Number(b.tag === OVERALL_TAG) - Number(a.tag === OVERALL_TAG) || compareCodePoints(a.tag, b.tag),
  );
  const overall = runs.find((r) => r.tag === OVERALL_TAG);
  const problems: string[] = [];
  if (!overall) problems.push(`no run tagged [${OVERALL_TAG}, ${data.tag}]`);
  const overallDaily = overall
    ? usagePoints(overall.tables[OVERALL_DAILY], OVERALL_DAILY, LABELS.date, problems)
    : [];
  const overallWeekly = overall
    ? usagePoints(overall.tables[OVERALL_WEEKLY], OVERALL_WEEKLY, LABELS.weekStart, problems)
    : [];
  const companyRuns = new Map(runs.filter((r) => r !== overall).map((r) => [r.tag, r]));
  const names = [...new Set([...companyRuns.keys(), ...overallDaily.map((p) => p.company)])].sort(
    compareCodePoints,
  );
  const newestFirst = [...data.alerts].reverse();
  return {
    entity: data.entity,
    project: data.project,
    tag: data.tag,
    target: overall?.target,
    outlook: overall ? outlookLead(overall.tables) : undefined,
    companies: names.map((name) => {
      const run = companyRuns.get(name);
      if (run) return companyView(run);
      return {
        company: name,
        target: overall?.target,
        daily: recent(
          overallDaily.filter((p) => p.company === name),
          CHART_DAYS,
        ),
        weekly: recent(
          overallWeekly.filter((p) => p.company === name),
          CHART_WEEKS,
        ),
        summary: undefined,
        problems: [
          `no run holds [${name}, ${data.tag}] (no nodes on the tables date): charts from the overall run's tables`,
        ],
      };
    }),
    heatmap: heatmapOf(overallDaily),
    duplicateInit: newestFirst.filter((a) => a.title === DUPLICATE_INIT_TITLE),
    otherAlerts: newestFirst.filter((a) => a.title !== DUPLICATE_INIT_TITLE),
    runs,
    problems,
  };
}

function companyView(run: PublishedRun): CompanyView {
  const problems: string[] = run.unreadable.map((u) => `${u.key}: ${u.reason}`);
  const daily = usagePoints(run.tables[DAILY], DAILY, LABELS.date, problems);
  const weekly = usagePoints(run.tables[WEEKLY], WEEKLY, LABELS.weekStart, problems);
  const summary = run.tables[SUMMARY];
  if (!summary) problems.push(`${SUMMARY} was not published`);
  return {
    company: run.tag,
    target: run.target,
    daily: recent(daily, CHART_DAYS),
    weekly: recent(weekly, CHART_WEEKS),
    summary,
    problems,
  };
}

function heatmapOf(points: readonly CompanyPoint[]): HeatmapView {
  const byCompany = new Map<string, Map<string, UsagePoint>>();
  for (const point of points) {
    const days = byCompany.get(point.company) ?? new Map<string, UsagePoint>();
    days.set(point.period, point);
    byCompany.set(point.company, days);
  }
  const dates = [...new Set(points.map((p) => p.period))].sort(compareCodePoints).slice(-CHART_DAYS);
  return {
    dates,
    rows: [...byCompany.keys()].sort(compareCodePoints).map((company) => ({
      company,
      cells: dates.map((d) => byCompany.get(company)?.get(d)),
    })),
  };
}

type CompanyPoint = UsagePoint & { readonly company: string };

/**
 * The chart values of a usage table, looked up by column label; [] (and a problem) when the
 * table is missing or lacks a column. Rows keep the table's order.
 */
function usagePoints(
  table: TableData | undefined,
  key: string,
  periodLabel: string,
  problems: string[],
): CompanyPoint[] {
  if (!table) {
    problems.push(`${key} was not published`);
    return [];
  }
  const labels = [
    LABELS.company,
    periodLabel,
    LABELS.totalGpuHour,
    'assigned_gpu_hour',
    LABELS.utilization,
    'assigned_gpu_node',
  ];
  const index = labels.map((l) => table.columns.indexOf(l));
  const missing = labels.filter((_, i) => index[i]! < 0);
  if (missing.length > 0) {
    problems.push(`${key} has no column ${missing.join(', ')}`);
    return [];
  }
  const [company, period, hours, assigned, utilization, nodes] = index as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return table.rows.map((row) => ({
    company: String(row[company] ?? ''),
    period: String(row[period] ?? ''),
    gpuHours: numberOf(row[hours]),
    assignedHours: numberOf(row[assigned]),
    utilization: numberOf(row[utilization]),
    nodes: numberOf(row[nodes]),
  }));
}

/** The newest `count` points, oldest first (tables list periods newest first). */
function recent(points: readonly CompanyPoint[], count: number): UsagePoint[] {
  return [...points]
    .sort((a, b) => compareCodePoints(a.period, b.period))
    .slice(-count)
    .map(({ company: _company, ...point }) => point);
}

/** Table cells are numbers; anything else (an empty or NaN cell the SDK wrote) shows as 0, as the tables do. */
function numberOf(cell: unknown): number {
  const value = typeof cell === 'number' ? cell : typeof cell === 'string' ? Number(cell) : Number.NaN;
  return Number.isFinite(value) ? value : 0;
}
