import { type Statement, statementTable } from '../calculator/index.js';
import type { Config } from '../config/types.js';
import type { Logger } from '../shared/logger.js';
import { STATEMENT_PAGE_KEY, STATEMENT_TABLE_KEY } from '../shared/names.js';
import { allSettledOrThrow } from '../shared/settle.js';
import type { WandbClient } from '../wandb/client.js';
import { createRun, deterministicRunId, logMediaAndFinish, wrappedConfig } from '../wandb/run-writer.js';
import { htmlFile } from './html-media.js';
import { tableFile } from './wandb-table.js';

/** Job type of the runs `statement --publish` writes (never `Tables_<T>` runs, so `latest` and `check` ignore them). */
export const STATEMENT_JOB_TYPE = 'statement';

/**
 * `statement --publish`: one run per company and month in the dashboard project, `Statement_<YYYY-MM>`
 * tagged with the company, logging the statement's page and Table under the keys the job's month-end
 * runs use. Its id follows from the month and company, so publishing again updates the same run.
 */
export async function publishStatements(
  statements: readonly Statement[],
  config: Config,
  record: object,
  renderPage: (statement: Statement) => string,
  deps: { wandb: WandbClient; log: Logger },
): Promise<{ company: string; runId: string }[]> {
  const { entity, project } = config.dashboard;
  return allSettledOrThrow(
    statements.map(async (statement) => {
      const runId = deterministicRunId(`Statement_${statement.month}\u0000${statement.company}`);
      await createRun(deps.wandb, {
        entity,
        project,
        runId,
        displayName: `Statement_${statement.month}`,
        jobType: STATEMENT_JOB_TYPE,
        tags: [statement.company],
        config: wrappedConfig({ ...record, month: statement.month, through: statement.through }),
      });
      const run = { entity, project, run: runId };
      const files = [
        [STATEMENT_TABLE_KEY, tableFile(STATEMENT_TABLE_KEY, 0, statementTable(statement))],
        [STATEMENT_PAGE_KEY, htmlFile(STATEMENT_PAGE_KEY, 0, renderPage(statement))],
      ] as const;
      await logMediaAndFinish(deps.wandb, run, files);
      deps.log.info('statement.published', {
        company: statement.company,
        month: statement.month,
        run_id: runId,
      });
      return { company: statement.company, runId };
    }),
  );
}
