import type { Config } from '../config/types.js';
import { compareCodePoints } from '../shared/compare.js';
import { type IsoDate, monthOf, weekStart } from '../shared/dates.js';
import { roundHalfUp } from '../shared/round.js';
import type { DaySums, DayUsage, UsageTotals } from './aggregate.js';

export type PeriodKind = 'daily' | 'weekly' | 'monthly' | 'overall';

/** One row of a usage table, values already rounded as shown (docs/behaviour.md §6). */
export type UsageRow = {
  readonly company: string;
  /** YYYY-MM-DD for daily and weekly, YYYY-MM for monthly, undefined for overall. */
  readonly period: string | undefined;
  readonly totalGpuHour: number;
  readonly utilization: number;
  readonly avgPerformance: number;
  readonly maxPerformance: number;
  readonly avgMemory: number;
  readonly maxMemory: number;
  readonly nRuns: number;
  readonly assignedGpuNode: number;
  readonly assignedGpuHour: number;
  readonly rawTotalGpuHour: number;
  readonly totalMetricsHour: number;
  /** Allocation insight (docs/behaviour.md §13): the period's unrounded day values, rounded once. */
  readonly busyGpuHour: number;
  readonly idleGpuHour: number;
  readonly unmeasuredGpuHour: number;
  readonly effectiveUtilization: number;
};

const HOURS_PER_DAY = 24;
const PERCENT = 100;

/** A period's sums: the daily sums (less the raw GPU hours, which are rounded per day) plus the allocation. */
type Bucket = Omit<DaySums, 'gpuHours'> & {
  nodes: number;
  assigned: number;
  capped: number;
  raw: number;
  /** Allocated GPU-hours no run used: each day's assigned less its capped total. */
  idle: number;
  nRuns: number;
  /** Marks, in RunMarks, the runs this period has counted. */
  readonly mark: number;
};

/** Per run id, the mark of the last period that counted it. */
type RunMarks = { readonly lastMark: Int32Array; next: number };

function periodOf(kind: PeriodKind, date: IsoDate, weekStartIndex: number): string | undefined {
  if (kind === 'daily') return date;
  if (kind === 'weekly') return weekStart(date, weekStartIndex);
  if (kind === 'monthly') return monthOf(date);
  return undefined;
}

/**
 * Usage rows of one table kind: each company's grid days grouped into periods (a period
 * exists only when it holds a grid day), sorted by company (code-point order) then period
 * descending.
 */
export function usageRows(
  totals: UsageTotals,
  kind: PeriodKind,
  config: Pick<Config, 'gpus_per_node' | 'weekStartIndex'>,
): UsageRow[] {
  const rows: UsageRow[] = [];
  const marks: RunMarks = { lastMark: new Int32Array(totals.runCount).fill(-1), next: 0 };
  for (const calendar of totals.calendars) {
    const usage = totals.days.get(calendar.company);
    const buckets = new Map<string | undefined, Bucket>();
    // The grid is in date order, so a period's days come one after another: a run marked with
    // this period's mark was counted in it.
    for (const [date, nodes] of calendar.grid) {
      const period = periodOf(kind, date, config.weekStartIndex);
      let bucket = buckets.get(period);
      if (!bucket) {
        bucket = emptyBucket(marks.next++);
        buckets.set(period, bucket);
      }
      addDay(bucket, nodes, nodes * config.gpus_per_node * HOURS_PER_DAY, usage?.get(date), marks.lastMark);
    }
    for (const [period, bucket] of buckets) rows.push(toRow(calendar.company, period, bucket));
  }
  return rows.sort(compareRows);
}

function emptyBucket(mark: number): Bucket {
  return {
    nodes: 0,
    assigned: 0,
    capped: 0,
    raw: 0,
    idle: 0,
    metricsHours: 0,
    sumUtil: 0,
    sumMem: 0,
    busyHours: 0,
    unmeasuredHours: 0,
    maxUtil: null,
    maxMem: null,
    nRuns: 0,
    mark,
  };
}

function addDay(
  bucket: Bucket,
  nodes: number,
  assigned: number,
  day: DayUsage | undefined,
  lastMark: Int32Array,
): void {
  bucket.nodes += nodes;
  bucket.assigned += assigned;
  if (!day) {
    bucket.idle += assigned;
    return;
  }
  // The daily total is rounded first, then capped at the allocation; periods add the daily values.
  const raw = roundHalfUp(day.gpuHours, 1);
  const capped = Math.min(raw, assigned);
  bucket.raw += raw;
  bucket.capped += capped;
  bucket.idle += assigned - capped;
  bucket.metricsHours += day.metricsHours;
  bucket.sumUtil += day.sumUtil;
  bucket.sumMem += day.sumMem;
  bucket.busyHours += day.busyHours;
  bucket.unmeasuredHours += day.unmeasuredHours;
  bucket.maxUtil = max(bucket.maxUtil, day.maxUtil);
  bucket.maxMem = max(bucket.maxMem, day.maxMem);
  for (const run of day.runs) {
    if (lastMark[run] === bucket.mark) continue;
    lastMark[run] = bucket.mark;
    bucket.nRuns++;
  }
}

function toRow(company: string, period: string | undefined, b: Bucket): UsageRow {
  const shown = (value: number): number => (Number.isFinite(value) ? roundHalfUp(value, 1) : 0);
  return {
    company,
    period,
    totalGpuHour: shown(b.capped),
    utilization: b.assigned > 0 ? shown(Math.min(PERCENT, (b.capped / b.assigned) * PERCENT)) : 0,
    avgPerformance: b.metricsHours > 0 ? shown(b.sumUtil / b.metricsHours) : 0,
    maxPerformance: shown(b.maxUtil ?? 0),
    avgMemory: b.metricsHours > 0 ? shown(b.sumMem / b.metricsHours) : 0,
    maxMemory: shown(b.maxMem ?? 0),
    nRuns: b.nRuns,
    assignedGpuNode: b.nodes,
    assignedGpuHour: b.assigned,
    rawTotalGpuHour: shown(b.raw),
    totalMetricsHour: shown(b.metricsHours),
    busyGpuHour: shown(b.busyHours),
    idleGpuHour: shown(b.idle),
    unmeasuredGpuHour: shown(b.unmeasuredHours),
    effectiveUtilization: b.assigned > 0 ? shown(Math.min(PERCENT, (b.busyHours / b.assigned) * PERCENT)) : 0,
  };
}

function compareRows(a: UsageRow, b: UsageRow): number {
  // Company ascending, then period descending (ISO dates and months sort as text).
  return compareCodePoints(a.company, b.company) || compareCodePoints(b.period ?? '', a.period ?? '');
}

function max(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
