import { summaryTable, usageTable } from '../../src/product/calculator/columns.js';
import type { PeriodKind, UsageRow } from '../../src/product/calculator/periods.js';
import type { SummaryRow } from '../../src/product/calculator/summary.js';
import type { PublishedRun, TableData } from '../../src/product/report/types.js';

/**
 * A usage row: `hours` of `assigned` GPU hours on `nodes` nodes; the shown utilisation is hours / assigned
 * unless given (worked out by hand in the test).
 */
export function usage(
  company: string,
  period: string | undefined,
  hours: number,
  assigned: number,
  utilization = Math.round((hours / assigned) * 1000) / 10,
): UsageRow {
  return {
    company,
    period,
    totalGpuHour: hours,
    utilization,
    avgPerformance: 0,
    maxPerformance: 0,
    avgMemory: 0,
    maxMemory: 0,
    nRuns: 1,
    assignedGpuNode: assigned / 192,
    assignedGpuHour: assigned,
    rawTotalGpuHour: hours,
    totalMetricsHour: 0,
    // No metrics: every used hour is unmeasured.
    busyGpuHour: 0,
    idleGpuHour: assigned - Math.min(hours, assigned),
    unmeasuredGpuHour: hours,
    effectiveUtilization: 0,
  };
}

/** A usage table with the product's own columns (calculator/columns.ts), as its Table file holds it. */
export function usageData(kind: PeriodKind, rows: readonly UsageRow[]): TableData {
  const table = usageTable(kind, rows);
  return { columns: table.columns.map((c) => c.label), rows: table.rows };
}

export function summaryData(rows: readonly SummaryRow[]): TableData {
  const table = summaryTable(rows);
  return { columns: table.columns.map((c) => c.label), rows: table.rows };
}

export function published(tag: string, target: string, tables: Record<string, TableData>): PublishedRun {
  return {
    tag,
    runId: `run-${tag}`,
    displayName: `Tables_${target}`,
    target,
    createdAt: 0,
    tables,
    unreadable: [],
  };
}
