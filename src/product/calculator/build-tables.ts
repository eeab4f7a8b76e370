import type { Config } from '../config/types.js';
import type { IsoDate } from '../shared/dates.js';
import type { RunDay } from '../shared/run-day.js';
import { createRowsAccumulator, createUsageAccumulator, type UsageTotals } from './aggregate.js';
import { summaryTable, type Table, usageTable } from './columns.js';
import type { MonthSums } from './month-sums.js';
import { type PeriodKind, type UsageRow, usageRows } from './periods.js';
import { createSummaryAccumulator, type SummaryRow } from './summary.js';

const TABLE_KINDS = ['daily', 'weekly', 'monthly', 'overall'] as const satisfies readonly PeriodKind[];

export type CalculatorResult = {
  readonly target: IsoDate;
  readonly usage: Readonly<Record<PeriodKind, readonly UsageRow[]>>;
  readonly summary: readonly SummaryRow[];
  readonly tables: Readonly<Record<PeriodKind | 'summary', Table>>;
  readonly counts: {
    readonly rowsRead: number;
    readonly rowsUsed: number;
    readonly deletedRows: number;
    readonly ignoredRows: number;
    readonly unknownTeamRows: number;
    readonly unknownTeams: readonly string[];
  };
};

export type TablesBuilder = { add(row: RunDay): void; finish(): CalculatorResult };

/**
 * The calculator over rows as they stream past (`tables`, `check`): each row into its team and day's
 * sums and into the summary, then the tables as the nightly job computes them from its months' sums.
 */
export function createTablesBuilder(config: Config, target: IsoDate): TablesBuilder {
  const usage = createRowsAccumulator(config, target);
  const summary = createSummaryAccumulator(config, target);
  return {
    add(row) {
      usage.add(row);
      summary.add(row);
    },
    finish: () => tablesOf(config, target, usage.finish(), summary.finish()),
  };
}

/** The calculator over rows already in memory. */
export function calculateTables(rows: Iterable<RunDay>, config: Config, target: IsoDate): CalculatorResult {
  const builder = createTablesBuilder(config, target);
  for (const row of rows) builder.add(row);
  return builder.finish();
}

/**
 * The calculator over the months' sums (every month of the dataset) and the rows of T's week (the
 * summary's, which needs rows): what the nightly job computes from (docs/behaviour.md §14).
 */
export function calculateFromMonths(
  months: Iterable<MonthSums>,
  weekRows: Iterable<RunDay>,
  config: Config,
  target: IsoDate,
): CalculatorResult {
  const summary = createSummaryAccumulator(config, target);
  for (const row of weekRows) summary.add(row);
  const usage = createUsageAccumulator(config, target);
  for (const month of months) usage.addMonth(month);
  return tablesOf(config, target, usage.finish(), summary.finish());
}

function tablesOf(
  config: Config,
  target: IsoDate,
  totals: UsageTotals,
  summaryRows: SummaryRow[],
): CalculatorResult {
  const rows = Object.fromEntries(TABLE_KINDS.map((k) => [k, usageRows(totals, k, config)])) as Record<
    PeriodKind,
    UsageRow[]
  >;
  const { calendars: _c, days: _d, runCount: _r, ...counts } = totals;
  return {
    target,
    usage: rows,
    summary: summaryRows,
    tables: {
      daily: usageTable('daily', rows.daily),
      weekly: usageTable('weekly', rows.weekly),
      monthly: usageTable('monthly', rows.monthly),
      overall: usageTable('overall', rows.overall),
      summary: summaryTable(summaryRows),
    },
    counts,
  };
}
