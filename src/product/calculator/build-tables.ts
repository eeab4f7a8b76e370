import type { Config } from '../config/types.js';
import type { IsoDate } from '../shared/dates.js';
import type { RunDay } from '../shared/run-day.js';
import { createUsageAccumulator } from './aggregate.js';
import { summaryTable, type Table, usageTable } from './columns.js';
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

/** Feeds every dataset row to the usage and summary accumulators in one pass. */
export function createTablesBuilder(config: Config, target: IsoDate): TablesBuilder {
  const usage = createUsageAccumulator(config, target);
  const summary = createSummaryAccumulator(config, target);
  return {
    add(row) {
      usage.add(row);
      summary.add(row);
    },
    finish() {
      const totals = usage.finish();
      const rows = Object.fromEntries(TABLE_KINDS.map((k) => [k, usageRows(totals, k, config)])) as Record<
        PeriodKind,
        UsageRow[]
      >;
      const summaryRows = summary.finish();
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
    },
  };
}

/** The calculator over rows already in memory (the nightly job's merged dataset). */
export function calculateTables(rows: Iterable<RunDay>, config: Config, target: IsoDate): CalculatorResult {
  const builder = createTablesBuilder(config, target);
  for (const row of rows) builder.add(row);
  return builder.finish();
}
