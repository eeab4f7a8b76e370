import type { PeriodKind, UsageRow } from './periods.js';
import type { SummaryRow } from './summary.js';

/** How a value is written to CSV; W&B Tables get the plain number. */
export type ColumnFormat = 'text' | 'int' | 'dec1' | 'dec2';
export type Column = { readonly label: string; readonly format: ColumnFormat };
export type Cell = string | number;

/** A finished table: the same column list builds empty and non-empty tables. */
export type Table = { readonly columns: readonly Column[]; readonly rows: readonly (readonly Cell[])[] };

/** The Japanese labels of the published tables (docs/behaviour.md §6), kept in one place. */
export const LABELS = {
  company: '企業名',
  date: '日付',
  weekStart: '週開始日',
  month: '年月',
  totalGpuHour: '合計GPU使用時間(h)',
  utilization: 'GPU稼働率(%)',
  avgPerformance: '平均GPUパフォーマンス率(%)',
  maxPerformance: '最大GPUパフォーマンス率(%)',
  avgMemory: '平均GPUメモリ利用率(%)',
  maxMemory: '最大GPUメモリ利用率(%)',
} as const;

const PERIOD_LABEL: Record<PeriodKind, string | undefined> = {
  daily: LABELS.date,
  weekly: LABELS.weekStart,
  monthly: LABELS.month,
  overall: undefined,
};

const VALUE_COLUMNS: readonly [Column, (r: UsageRow) => Cell][] = [
  [{ label: LABELS.totalGpuHour, format: 'dec1' }, (r) => r.totalGpuHour],
  [{ label: LABELS.utilization, format: 'dec1' }, (r) => r.utilization],
  [{ label: LABELS.avgPerformance, format: 'dec1' }, (r) => r.avgPerformance],
  [{ label: LABELS.maxPerformance, format: 'dec1' }, (r) => r.maxPerformance],
  [{ label: LABELS.avgMemory, format: 'dec1' }, (r) => r.avgMemory],
  [{ label: LABELS.maxMemory, format: 'dec1' }, (r) => r.maxMemory],
  [{ label: 'n_runs', format: 'int' }, (r) => r.nRuns],
  [{ label: 'assigned_gpu_node', format: 'int' }, (r) => r.assignedGpuNode],
  [{ label: 'assigned_gpu_hour', format: 'int' }, (r) => r.assignedGpuHour],
  [{ label: '_total_gpu_hour', format: 'dec1' }, (r) => r.rawTotalGpuHour],
  [{ label: 'total_metrics_hour', format: 'dec1' }, (r) => r.totalMetricsHour],
];

export function usageTable(kind: PeriodKind, rows: readonly UsageRow[]): Table {
  const periodLabel = PERIOD_LABEL[kind];
  const columns: Column[] = [
    { label: LABELS.company, format: 'text' },
    ...(periodLabel ? [{ label: periodLabel, format: 'text' as const }] : []),
    ...VALUE_COLUMNS.map(([c]) => c),
  ];
  return {
    columns,
    rows: rows.map((r) => [
      r.company,
      ...(periodLabel ? [r.period ?? ''] : []),
      ...VALUE_COLUMNS.map(([, get]) => get(r)),
    ]),
  };
}

const SUMMARY_COLUMNS: readonly [Column, (r: SummaryRow) => Cell][] = [
  [{ label: 'company_name', format: 'text' }, (r) => r.team],
  [{ label: 'project', format: 'text' }, (r) => r.project],
  [{ label: 'Total hours', format: 'dec2' }, (r) => r.totalHours],
  [{ label: 'Total runs', format: 'int' }, (r) => r.totalRuns],
  [{ label: 'master_node_runs', format: 'int' }, (r) => r.masterNodeRuns],
  [{ label: 'overlap_runs', format: 'int' }, (r) => r.overlapRuns],
  [{ label: 'ignore_runs', format: 'int' }, (r) => r.ignoreRuns],
];

export function summaryTable(rows: readonly SummaryRow[]): Table {
  return {
    columns: SUMMARY_COLUMNS.map(([c]) => c),
    rows: rows.map((r) => SUMMARY_COLUMNS.map(([, get]) => get(r))),
  };
}

/** CSV text of a cell: decimals written with their fixed number of places. */
export function formatCell(value: Cell, format: ColumnFormat): string {
  if (typeof value === 'string') return value;
  if (format === 'dec1') return value.toFixed(1);
  if (format === 'dec2') return value.toFixed(2);
  return String(value);
}
