import { STATEMENT_TABLE_KEY } from '../shared/names.js';
import type { CalculatorResult } from './build-tables.js';
import { summaryTable, type Table, usageTable, userUsageTable } from './columns.js';
import { statementTable } from './statement-table.js';

/** How many of the newest rows the "within" tables keep (docs/behaviour.md §7). */
const RECENT_DAYS = 30;
const RECENT_WEEKS = 4;

/** The Tables the overall run logs, by history key. */
export function overallTables(result: CalculatorResult): Record<string, Table> {
  return {
    overall_gpu_usage: result.tables.overall,
    monthly_gpu_usage: result.tables.monthly,
    weekly_gpu_usage: result.tables.weekly,
    daily_gpu_usage: result.tables.daily,
    allocation_outlook: result.tables.allocation_outlook,
  };
}

/** The Tables a company's run logs, by history key: its rows of the daily, weekly, summary and per-user tables. */
export function companyTables(result: CalculatorResult, company: string): Record<string, Table> {
  const daily = result.usage.daily.filter((r) => r.company === company);
  const weekly = result.usage.weekly.filter((r) => r.company === company);
  const statement = result.statements.find((s) => s.company === company);
  return {
    company_daily_gpu_usage: usageTable('daily', daily),
    [`company_daily_gpu_usage_within_${RECENT_DAYS}days`]: usageTable('daily', daily.slice(0, RECENT_DAYS)),
    company_weekly_gpu_usage: usageTable('weekly', weekly),
    [`company_weekly_gpu_usage_within_${RECENT_WEEKS}weeks`]: usageTable(
      'weekly',
      weekly.slice(0, RECENT_WEEKS),
    ),
    company_summary: summaryTable(result.summary.filter((r) => r.company === company)),
    company_user_usage: userUsageTable(
      result.userUsage.filter((r) => r.company === company),
      false,
    ),
    ...(statement ? { [STATEMENT_TABLE_KEY]: statementTable(statement) } : {}),
  };
}
