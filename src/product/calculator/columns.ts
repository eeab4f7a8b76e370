import type { OutlookRow } from './outlook.js';
import type { PeriodKind, UsageRow } from './periods.js';
import type { SummaryRow } from './summary.js';
import type { UserUsageRow } from './user-usage.js';

/** How a value is written to CSV (`num`: as the number reads); W&B Tables get the plain number. */
export type ColumnFormat = 'text' | 'int' | 'dec1' | 'dec2' | 'num';
export type Column = { readonly label: string; readonly format: ColumnFormat };
/** null: an empty value (an outlook without a pace), an empty CSV cell and a W&B Table None. */
export type Cell = string | number | null;

/** A finished table: the same column list builds empty and non-empty tables. */
export type Table = { readonly columns: readonly Column[]; readonly rows: readonly (readonly Cell[])[] };

/** How a table's rows become cells: one column list builds empty and non-empty tables. */
export type ColumnsOf<Row> = readonly [Column, (r: Row) => Cell][];

export function tableOf<Row>(columns: ColumnsOf<Row>, rows: readonly Row[]): Table {
  return { columns: columns.map(([c]) => c), rows: rows.map((r) => columns.map(([, get]) => get(r))) };
}

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
  effectiveUtilization: '実効GPU稼働率(%)',
} as const;

const PERIOD_LABEL: Record<PeriodKind, string | undefined> = {
  daily: LABELS.date,
  weekly: LABELS.weekStart,
  monthly: LABELS.month,
  overall: undefined,
};

const VALUE_COLUMNS: ColumnsOf<UsageRow> = [
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
  // Allocation insight (docs/behaviour.md §13), after the Python original's columns so its readers keep working.
  [{ label: 'busy_gpu_hour', format: 'dec1' }, (r) => r.busyGpuHour],
  [{ label: 'idle_gpu_hour', format: 'dec1' }, (r) => r.idleGpuHour],
  [{ label: 'unmeasured_gpu_hour', format: 'dec1' }, (r) => r.unmeasuredGpuHour],
  [{ label: LABELS.effectiveUtilization, format: 'dec1' }, (r) => r.effectiveUtilization],
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

const SUMMARY_COLUMNS: ColumnsOf<SummaryRow> = [
  [{ label: 'company_name', format: 'text' }, (r) => r.team],
  [{ label: 'project', format: 'text' }, (r) => r.project],
  [{ label: 'Total hours', format: 'dec2' }, (r) => r.totalHours],
  [{ label: 'Total runs', format: 'int' }, (r) => r.totalRuns],
  [{ label: 'master_node_runs', format: 'int' }, (r) => r.masterNodeRuns],
  [{ label: 'overlap_runs', format: 'int' }, (r) => r.overlapRuns],
  [{ label: 'ignore_runs', format: 'int' }, (r) => r.ignoreRuns],
];

export function summaryTable(rows: readonly SummaryRow[]): Table {
  return tableOf(SUMMARY_COLUMNS, rows);
}

const OUTLOOK_COLUMNS: ColumnsOf<OutlookRow> = [
  [{ label: 'company', format: 'text' }, (r) => r.company],
  [{ label: 'month', format: 'text' }, (r) => r.month],
  [{ label: 'allocated_gpu_hour_to_date', format: 'dec1' }, (r) => r.allocatedToDate],
  [{ label: 'used_gpu_hour_to_date', format: 'dec1' }, (r) => r.usedToDate],
  [{ label: 'allocated_gpu_hour_rest', format: 'dec1' }, (r) => r.allocatedRest],
  [{ label: 'pace_percent', format: 'dec1' }, (r) => r.pacePercent],
  [{ label: 'projected_used_gpu_hour', format: 'dec1' }, (r) => r.projectedUsed],
  [{ label: 'projected_use_percent', format: 'dec1' }, (r) => r.projectedUsePercent],
  [{ label: 'status', format: 'text' }, (r) => r.status],
];

/** `allocation_outlook` (docs/behaviour.md §13). */
export function outlookTable(rows: readonly OutlookRow[]): Table {
  return tableOf(OUTLOOK_COLUMNS, rows);
}

const USER_COLUMNS: ColumnsOf<UserUsageRow> = [
  [{ label: 'period', format: 'text' }, (r) => r.period],
  [{ label: 'period_start', format: 'text' }, (r) => r.periodStart],
  [{ label: 'username', format: 'text' }, (r) => r.username],
  [{ label: 'gpu_hour', format: 'dec2' }, (r) => r.gpuHour],
  [{ label: 'busy_gpu_hour', format: 'dec2' }, (r) => r.busyGpuHour],
  [{ label: 'n_runs', format: 'int' }, (r) => r.nRuns],
];

/** `company_user_usage` of one company's run; with `company` first, every company's (`user_usage.csv`). */
export function userUsageTable(rows: readonly UserUsageRow[], withCompany: boolean): Table {
  const company: ColumnsOf<UserUsageRow> = [[{ label: 'company', format: 'text' }, (r) => r.company]];
  return tableOf(withCompany ? [...company, ...USER_COLUMNS] : USER_COLUMNS, rows);
}

/** CSV text of a cell: decimals written with their fixed number of places; null as an empty cell. */
export function formatCell(value: Cell, format: ColumnFormat): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (format === 'dec1') return value.toFixed(1);
  if (format === 'dec2') return value.toFixed(2);
  return String(value);
}

/** A table as a W&B Table file holds it: column labels, and 0 for non-finite numbers. */
export function tableJson(table: Table): { columns: string[]; data: Cell[][] } {
  return {
    columns: table.columns.map((c) => c.label),
    data: table.rows.map((row) =>
      row.map((cell) => (typeof cell === 'number' && !Number.isFinite(cell) ? 0 : cell)),
    ),
  };
}
