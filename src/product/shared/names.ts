// The names other parts read the product by (tags, job type, history keys, log events), in one place
// with no I/O, so the publishing code, the Report spec, the checker and the infra agree on them.

/** Tag of the run holding the overall Tables (the others carry a company's name). */
export const OVERALL_TAG = 'overall';
/** Job type of every `Tables_<T>` run (the Python original's). */
export const TABLES_JOB_TYPE = 'update-table';
/** Job type of the `Update_<T>` run that logs each dataset version (the Python original's). */
export const DATASET_JOB_TYPE = 'upload-dataset';
/** History keys of the HTML pages: the programme's on the overall run, a company's on its run. */
export const OVERALL_PAGE_KEY = 'dashboard';
export const COMPANY_PAGE_KEY = 'company_dashboard';
/** History key of a company's month-end statement page, and of its Table (docs/behaviour.md §13). */
export const STATEMENT_PAGE_KEY = 'company_statement';
export const STATEMENT_TABLE_KEY = 'company_monthly_statement';

/**
 * Log events other parts read: the job logs `pipeline.completed` as its last line, and the checker
 * (and the CloudWatch alarm on it) looks for that line to know the night's job ran to its end.
 */
export const LOG_EVENTS = {
  started: 'pipeline.started',
  completed: 'pipeline.completed',
  failed: 'pipeline.failed',
  checkCompleted: 'check.completed',
} as const;
