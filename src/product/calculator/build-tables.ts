import type { Config } from '../config/types.js';
import { type IsoDate, monthStart, weekStart } from '../shared/dates.js';
import type { RunDay } from '../shared/run-day.js';
import { createRowsAccumulator, createUsageAccumulator, type UsageTotals } from './aggregate.js';
import { outlookTable, summaryTable, type Table, usageTable, userUsageTable } from './columns.js';
import { countedRowCompany } from './grouped-usage.js';
import type { MonthSums } from './month-sums.js';
import { allocationOutlook, type OutlookRow } from './outlook.js';
import { type PeriodKind, type UsageRow, usageRows } from './periods.js';
import { createStatementBuilder, type Statement } from './statement.js';
import { createSummaryAccumulator, type SummaryRow } from './summary.js';
import { createUserUsage, type UserUsageRow } from './user-usage.js';

const TABLE_KINDS = ['daily', 'weekly', 'monthly', 'overall'] as const satisfies readonly PeriodKind[];

export type CalculatorResult = {
  readonly target: IsoDate;
  readonly usage: Readonly<Record<PeriodKind, readonly UsageRow[]>>;
  readonly summary: readonly SummaryRow[];
  /** Allocation insight (docs/behaviour.md §13): the month's outlook and T's week and month per user. */
  readonly outlook: readonly OutlookRow[];
  readonly userUsage: readonly UserUsageRow[];
  /** The month-end statements of T's month (docs/behaviour.md §13), when asked for. */
  readonly statements: readonly Statement[];
  /** Every table by the name of its `--out` file. */
  readonly tables: Readonly<Record<PeriodKind | 'summary' | 'allocation_outlook' | 'user_usage', Table>>;
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

export type CalculatorOptions = {
  /** Whether to build T's month's statements (the job asks at a month's end, `statement` always). */
  readonly statements?: boolean;
};

/**
 * The calculator over rows as they stream past (`tables`, `check`): each row into its team and day's
 * sums and into the summary, then the tables as the nightly job computes them from its months' sums.
 */
export function createTablesBuilder(
  config: Config,
  target: IsoDate,
  options: CalculatorOptions = {},
): TablesBuilder {
  const usage = createRowsAccumulator(config, target);
  const recent = createRecentAccumulator(config, target, options);
  return {
    add(row) {
      usage.add(row);
      recent.add(row);
    },
    finish: () => tablesOf(config, target, usage.finish(), recent),
  };
}

/**
 * The first day whose rows the tables need as rows, not sums: T's week (the summary) and T's month
 * (the per-user table), whichever starts first.
 */
export function recentFrom(config: Pick<Config, 'weekStartIndex'>, target: IsoDate): IsoDate {
  const week = weekStart(target, config.weekStartIndex);
  const month = monthStart(target);
  return week < month ? week : month;
}

/** The tables computed from rows: the week's summary, the per-user usage and the month's statements. */
function createRecentAccumulator(config: Config, target: IsoDate, options: CalculatorOptions) {
  const summary = createSummaryAccumulator(config, target);
  // One reading of which rows count for which company, shared by the tables built from rows.
  const companyOf = countedRowCompany(config, target);
  const users = createUserUsage(config, target, companyOf);
  const statements = options.statements ? createStatementBuilder(config, target, companyOf) : undefined;
  return {
    add(row: RunDay): void {
      summary.add(row);
      users.add(row);
      statements?.add(row);
    },
    summary: () => summary.finish(),
    users: () => users.finish(),
    statements: (monthly: readonly UsageRow[], daily: readonly UsageRow[]) =>
      statements?.finish(monthly, daily) ?? [],
  };
}

/** The calculator over rows already in memory. */
export function calculateTables(
  rows: Iterable<RunDay>,
  config: Config,
  target: IsoDate,
  options: CalculatorOptions = {},
): CalculatorResult {
  const builder = createTablesBuilder(config, target, options);
  for (const row of rows) builder.add(row);
  return builder.finish();
}

/**
 * The calculator over the months' sums (every month of the dataset) and the rows from `recentFrom` to
 * T (the summary's and the per-user table's, which need rows): what the nightly job computes from
 * (docs/behaviour.md §14).
 */
export function calculateFromMonths(
  months: Iterable<MonthSums>,
  recentRows: Iterable<RunDay>,
  config: Config,
  target: IsoDate,
  options: CalculatorOptions = {},
): CalculatorResult {
  const recent = createRecentAccumulator(config, target, options);
  for (const row of recentRows) recent.add(row);
  const usage = createUsageAccumulator(config, target);
  for (const month of months) usage.addMonth(month);
  return tablesOf(config, target, usage.finish(), recent);
}

function tablesOf(
  config: Config,
  target: IsoDate,
  totals: UsageTotals,
  recent: ReturnType<typeof createRecentAccumulator>,
): CalculatorResult {
  const summaryRows = recent.summary();
  const userUsage = recent.users();
  const rows = Object.fromEntries(TABLE_KINDS.map((k) => [k, usageRows(totals, k, config)])) as Record<
    PeriodKind,
    UsageRow[]
  >;
  const { calendars: _c, days: _d, runCount: _r, ...counts } = totals;
  const outlook = allocationOutlook(rows.daily, config, target);
  return {
    target,
    usage: rows,
    summary: summaryRows,
    outlook,
    userUsage,
    statements: recent.statements(rows.monthly, rows.daily),
    tables: {
      daily: usageTable('daily', rows.daily),
      weekly: usageTable('weekly', rows.weekly),
      monthly: usageTable('monthly', rows.monthly),
      overall: usageTable('overall', rows.overall),
      summary: summaryTable(summaryRows),
      allocation_outlook: outlookTable(outlook),
      user_usage: userUsageTable(userUsage, true),
    },
    counts,
  };
}
