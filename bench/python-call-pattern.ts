/**
 * Requests the Python original (cookie-estyle/gpu_dashboard, `main.py`) would send for one job, from its
 * call pattern: what it lists, pages and fetches for a fleet and a date range, and what it publishes.
 * Pure: the bench builds the input from the seed file and the config (job-bench.ts).
 */

/** A local date, 'YYYY-MM-DD' (plain string: the bench compares them as text). */
type Day = string;

/** A run as `run_manager.py __is_run_valid` sees it: local (JST) dates of createdAt and heartbeatAt. */
export type PythonRun = {
  readonly createdDate: Day;
  readonly heartbeatDate: Day;
  readonly hasRunInfo: boolean;
  readonly hasGpuName: boolean;
};

export type PythonTeam = {
  /** Every project of the team (`api.projects(team)` lists them all). */
  readonly projectCount: number;
  /** Every run (any date) of each project the include/ignore pattern keeps. */
  readonly keptProjects: readonly (readonly PythonRun[])[];
  /** False where the original skips the GPU-name test (its hard-coded `datagrid-geniac`; config: require_gpu_info). */
  readonly isGpuNameRequired: boolean;
};

export type PythonCompany = {
  readonly company: string;
  readonly schedule: readonly { readonly date: Day; readonly nodes: number }[];
  readonly teams: readonly PythonTeam[];
};

/** Requests of the Python SDK per step, measured (see PYTHON_SDK_COSTS). */
export type SdkCosts = {
  /** `wandb.init(...)` … finish, nothing logged. */
  readonly session: number;
  /** `run.log_artifact` of a one-file artifact, on top of the session. */
  readonly artifactWrite: number;
  /** `run.use_artifact(...)` + `artifact.download()`, on top of the session. */
  readonly artifactRead: number;
  /** One `wandb.log` call holding Tables: `tableLog + tablePerTable × n`, on top of the session. */
  readonly tableLog: number;
  readonly tablePerTable: number;
  /** Lazy first queries of a new `wandb.Api()` object (Viewer, GetDefaultEntity). */
  readonly apiInit: number;
  /** `run.update()` after editing tags. */
  readonly runUpdate: number;
};

/**
 * wandb 0.30 (the SDK of the conformance suite) against `gpu-dashboard local-server`, counted from
 * /_local/stats around each step: session 11 (ServerFeaturesQuery, OrganizationCoreWeaveOrganizationID,
 * 2 UpsertBucket, 2 file_stream, CreateRunFiles, 4 uploads); log_artifact +9; use_artifact+download +7;
 * 4 Tables in one log +34 and 5 Tables +41 (each Table is a run artifact: 7 requests, plus 6 per log);
 * api.run(path) 3 on a new Api (2 of them Viewer + GetDefaultEntity, once per Api); run.update() 3.
 * The original pins wandb 0.17.3, whose counts may differ somewhat; reads (2 per run) do not depend on it.
 */
export const PYTHON_SDK_COSTS: SdkCosts = {
  session: 11,
  artifactWrite: 9,
  artifactRead: 7,
  tableLog: 6,
  tablePerTable: 7,
  apiInit: 2,
  runUpdate: 3,
};

/** `api.projects(entity)` pages (the SDK's default per_page). */
const PROJECTS_PER_PAGE = 200;
/** `run_manager.py __query_runs`: `"first": 1000`. */
const RUNS_PER_PAGE = 1000;
/** `api.runs(path, filters)` pages (the SDK's default per_page), used by `remove_tags.py`. */
const DASHBOARD_RUNS_PER_PAGE = 50;
/** `gpu_usage_calculator.py`: update_overall logs 4 Tables, update_companies 5 per company. */
const OVERALL_TABLES = 4;
const COMPANY_TABLES = 5;
/** `date.max` of `gpu_usage_calculator.py` / the 2100-01-01 open end of `config_parser.py`. */
const OPEN_END: Day = '9999-12-31';

export type PythonCallPatternInput = {
  readonly range: { readonly start: Day; readonly end: Day };
  readonly companies: readonly PythonCompany[];
  /** Tags (`overall` or a company) of the dashboard runs holding `latest` before the job. */
  readonly latestBefore: readonly string[];
  readonly costs?: SdkCosts;
};

export type PythonCallPattern = {
  readonly teamsListed: number;
  readonly countedRuns: number;
  readonly companyRuns: number;
  /** Tags whose `latest` run the job leaves behind (the next job's `latestBefore`). */
  readonly latestAfter: readonly string[];
  readonly requests: {
    readonly projectPages: number;
    /** Pages of 1,000 runs, every run of every kept project whatever its date. */
    readonly runPages: number;
    /** The empty page that ends each project's loop (it stops on empty `edges`, not on hasNextPage). */
    readonly emptyRunPages: number;
    /** Two per counted run: `api.run(path)` (Run) and `run.history(stream="events")` (RunFullHistory). */
    readonly perRun: number;
    readonly publishing: number;
  };
  readonly total: number;
};

/** Requests of one `main.py` job over `range` (see the term comments for their sources). */
export function pythonCallPattern(input: PythonCallPatternInput): PythonCallPattern {
  const { range } = input;
  const costs = input.costs ?? PYTHON_SDK_COSTS;
  let teamsListed = 0;
  let projectPages = 0;
  let runPages = 0;
  let emptyRunPages = 0;
  let countedRuns = 0;
  for (const company of input.companies) {
    const window = teamWindow(company);
    // run_manager.py __get_projects: a team outside the range keeps no projects (no requests).
    if (!(range.end >= window.start && range.start <= window.end)) continue;
    for (const team of company.teams) {
      teamsListed += 1;
      projectPages += Math.max(1, Math.ceil(team.projectCount / PROJECTS_PER_PAGE));
      for (const runs of team.keptProjects) {
        runPages += Math.ceil(runs.length / RUNS_PER_PAGE);
        emptyRunPages += 1;
        countedRuns += runs.filter((r) => isCounted(r, team, range, window)).length;
      }
    }
  }
  // gpu_usage_calculator.py update_companies: a run per company with nodes on some day of [start, end].
  const companies = input.companies.filter((c) => hasNodesIn(c, range));
  const published = ['overall', ...companies.map((c) => c.company)];
  const retagged = input.latestBefore.filter((tag) => published.includes(tag)).length;
  const publishing =
    // run_manager.py fetch_runs opens a "Fetch Runs" run around the tracker.
    costs.session +
    // artifact_handler.py read_dataset ("Read Dataset" run) and update_dataset ("Update_<T>" run).
    costs.session +
    costs.artifactRead +
    costs.session +
    costs.artifactWrite +
    // remove_tags.py: a new wandb.Api(), pages of runs tagged latest, run.update() per retagged run.
    costs.apiInit +
    Math.max(1, Math.ceil(input.latestBefore.length / DASHBOARD_RUNS_PER_PAGE)) +
    retagged * costs.runUpdate +
    // update_overall and update_companies: one run and one wandb.log of Tables each.
    costs.session +
    costs.tableLog +
    OVERALL_TABLES * costs.tablePerTable +
    companies.length * (costs.session + costs.tableLog + COMPANY_TABLES * costs.tablePerTable);
  const requests = {
    // RunManager's wandb.Api(): its first query also resolves the viewer.
    projectPages: projectPages + (teamsListed > 0 ? costs.apiInit : 0),
    runPages,
    emptyRunPages,
    perRun: 2 * countedRuns,
    publishing,
  };
  const total = Object.values(requests).reduce((a, b) => a + b, 0);
  const latestAfter = [...new Set([...input.latestBefore, ...published])];
  return { teamsListed, countedRuns, companyRuns: companies.length, latestAfter, requests, total };
}

/** config_parser.py: first schedule date; last date if its entry has 0 nodes, else open. */
function teamWindow(company: PythonCompany): { start: Day; end: Day } {
  const sorted = [...company.schedule].sort((a, b) => (a.date < b.date ? -1 : 1));
  const last = sorted.at(-1);
  return { start: sorted[0]?.date ?? OPEN_END, end: last && last.nodes === 0 ? last.date : OPEN_END };
}

/** run_manager.py __is_run_valid (zero-length and heartbeat-before-creation runs count there). */
function isCounted(
  run: PythonRun,
  team: PythonTeam,
  range: { start: Day; end: Day },
  window: { start: Day; end: Day },
): boolean {
  if (!run.hasRunInfo) return false;
  if (!run.hasGpuName && team.isGpuNameRequired) return false;
  if (run.heartbeatDate < range.start || run.createdDate > range.end) return false;
  return !(run.heartbeatDate < window.start || run.createdDate > window.end);
}

/** A schedule entry with nodes whose [date, next date) meets [start, end] (`schedule_start <= end and start < schedule_end`). */
function hasNodesIn(company: PythonCompany, range: { start: Day; end: Day }): boolean {
  return company.schedule.some((entry, i) => {
    const next = company.schedule[i + 1]?.date ?? OPEN_END;
    return entry.nodes > 0 && entry.date <= range.end && range.start < next;
  });
}
