// The names the published dashboard is read by (tags, job type, history keys), in one place with no I/O,
// so the publishing code, the Report spec and the checker agree on them.

/** Tag of the run holding the overall Tables (the others carry a company's name). */
export const OVERALL_TAG = 'overall';
/** Job type of every `Tables_<T>` run (the Python original's). */
export const TABLES_JOB_TYPE = 'update-table';
/** History keys of the HTML pages: the programme's on the overall run, a company's on its run. */
export const OVERALL_PAGE_KEY = 'dashboard';
export const COMPANY_PAGE_KEY = 'company_dashboard';
