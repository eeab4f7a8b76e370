// The calculator's one entry (docs/architecture.md): what the other stages use of it. Its other files are
// its own; a stage outside it imports only from here (dependency-cruiser `calculator-through-its-entry`).
export {
  type CalculatorOptions,
  type CalculatorResult,
  calculateFromMonths,
  calculateTables,
  createTablesBuilder,
  recentFrom,
  type TablesBuilder,
} from './build-tables.js';
export { type Cell, type Column, formatCell, LABELS, type Table, tableJson } from './columns.js';
export { companyTables, overallTables } from './company-tables.js';
export { createMonthSumsBuilder, type MonthRun, type MonthSums, type TeamDay } from './month-sums.js';
export type { OutlookRow, OutlookStatus } from './outlook.js';
export type { PeriodKind, UsageRow } from './periods.js';
export type { Statement, StatementLine } from './statement.js';
export { statementTable } from './statement-table.js';
export type { SummaryRow } from './summary.js';
export { tableCsv } from './table-csv.js';
export { ignoreTagMatcher, runKey, teamIndex } from './usage-filter.js';
export type { UserUsageRow } from './user-usage.js';
