import type { Alert } from '../alert/types.js';
import {
  type CalculatorResult,
  companyTables,
  overallTables,
  type Table,
  tableJson,
} from '../calculator/index.js';
import type { Config } from '../config/types.js';
import { companiesWithNodesOn } from '../shared/calendar.js';
import { OVERALL_TAG } from '../shared/names.js';
import type { DashboardData, PublishedRun, TableData } from './types.js';

export type JobDashboardInput = {
  readonly result: CalculatorResult;
  readonly config: Config;
  /** The id each run of T gets, by tag. */
  readonly runIdOf: (tag: string) => string;
  /** The job's alerts, with its start time. */
  readonly alerts: readonly Alert[];
  readonly loggedAt: string;
};

/**
 * What the runs holding `latest` will show once this job's runs for T hold it: the overall run and one
 * per company with nodes on T, with the Tables they log (the same data the W&B Tables files hold).
 */
export function dashboardFromTables(input: JobDashboardInput): DashboardData {
  const { result, config } = input;
  const target = result.target;
  const run = (tag: string, tables: Record<string, Table>): PublishedRun => ({
    tag,
    runId: input.runIdOf(tag),
    displayName: `Tables_${target}`,
    target,
    createdAt: 0,
    tables: Object.fromEntries(Object.entries(tables).map(([key, table]) => [key, tableData(table)])),
    unreadable: [],
  });
  const companies = companiesWithNodesOn(config, target);
  return {
    entity: config.dashboard.entity,
    project: config.dashboard.project,
    tag: config.dashboard.tag_for_latest,
    runs: [
      run(OVERALL_TAG, overallTables(result)),
      ...companies.map((c) => run(c, companyTables(result, c))),
    ],
    alerts: input.alerts.map((a) => ({ ...a, target, time: input.loggedAt })),
  };
}

/** A table as its W&B Table file holds it. */
function tableData(table: Table): TableData {
  const { columns, data } = tableJson(table);
  return { columns, rows: data };
}
