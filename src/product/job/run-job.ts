import { sendAlerts } from '../alert/send-alerts.js';
import type { Alert } from '../alert/types.js';
import type { CalculatorResult, Statement } from '../calculator/index.js';
import type { Config } from '../config/types.js';
import { type DashboardOutcome, publishDashboard } from '../publish/dashboard.js';
import { type PageRenderer, type PublishedTables, publishTables } from '../publish/tables.js';
import { dashboardFromTables } from '../report/from-tables.js';
import { renderPages } from '../report/pages.js';
import { renderStatementPage } from '../report/render-statement.js';
import type { Clock } from '../shared/clock.js';
import {
  dateRange,
  formatLocalTime,
  type IsoDate,
  localDayBounds,
  localTimesIn,
  weekStart,
} from '../shared/dates.js';
import type { Logger } from '../shared/logger.js';
import { LOG_EVENTS, OVERALL_TAG } from '../shared/names.js';
import { type Provenance, type ProvenanceFields, provenanceFields } from '../shared/provenance.js';
import { allSettledOrThrow } from '../shared/settle.js';
import { fetchRunDays, type TrackerResult } from '../tracker/fetch-runs.js';
import { type Dataset, datasetTarget, type OpenedDataset } from '../uploader/dataset-version.js';
import { loadBase, type NightContext, readVersionRows } from '../uploader/load-base.js';
import {
  buildVersion,
  byMonth,
  type LoadedBase,
  monthsOfDates,
  type PlannedVersion,
} from '../uploader/night-version.js';
import { openPriorDataset } from '../uploader/prior-dataset.js';
import { uploadNightDataset } from '../uploader/publish-dataset.js';
import type { WandbClient } from '../wandb/client.js';
import { datasetVersions, plannedTables } from './dataset-versions.js';
import { countReasons, type JobReport } from './job-report.js';
import { planAlerts } from './plan-alerts.js';

export type { JobReport } from './job-report.js';

export type JobOptions = {
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly dryRun: boolean;
  /** Fetch only these companies' runs (a backfill of some companies); the merge keeps every other row. */
  readonly companies?: readonly string[] | undefined;
  readonly slackWebhookUrl?: string | undefined;
  /** Recorded on the runs and the dataset version the job writes (docs/behaviour.md §12). */
  readonly provenance: Provenance;
};

export type JobDeps = {
  wandb: WandbClient;
  clock: Clock;
  log: Logger;
  fetch?: typeof fetch;
  /** W&B's API base URL (`WANDB_BASE_URL`): the Report's and runs' links derive from it. */
  wandbBaseUrl: string;
  /** Random run ids for the dataset-writing run. */
  randomId: () => string;
  onProgress?: (stage: string, done: number, total: number) => void;
};

/** The dataset version the job wrote (or, in a dry run, would have written). */
export type JobDataset = {
  readonly rows: number;
  /** Every row, in the dataset's order (`run --out`): reads the months the night did not. */
  readAll(): Promise<Dataset>;
};

export type JobOutput = { report: JobReport; dataset: JobDataset; result: CalculatorResult };

/** What one job works on: its dates, the time its rows are stamped with, and its options. */
type JobContext = {
  readonly config: Config;
  readonly options: JobOptions;
  readonly deps: JobDeps;
  readonly zone: string;
  readonly loggedAt: string;
  readonly night: NightContext;
  /** Months whose rows the job reads: those of its dates, and T's week (the summary's). */
  readonly wanted: ReadonlySet<string>;
};

type UploadedDataset = {
  planned: PlannedVersion;
  base: OpenedDataset | undefined;
  version: number | undefined;
  attempts: number;
};

/**
 * The nightly job, the only place that knows the stage order: track (with the prior dataset read beside
 * it) → upload the merged dataset → calculate the tables → render the pages (report) → publish (the
 * Tables runs and `latest`, then the W&B Report and the digest) → alert. Rendering is handed to publishing
 * as functions, because publishing may compute and render a newer date's tables too. It logs
 * `pipeline.started`, then `pipeline.completed` (which the checker looks for) or `pipeline.failed` with
 * the error before rethrowing it.
 */
export async function runJob(config: Config, options: JobOptions, deps: JobDeps): Promise<JobOutput> {
  const zone = config.timezone;
  const job: JobContext = {
    config,
    options,
    deps,
    zone,
    loggedAt: formatLocalTime(deps.clock.now().getTime(), zone),
    night: { target: datasetTarget(config), ignoreTags: config.ignore_tags, log: deps.log },
    wanted: monthsOfDates(
      [options.start, options.end],
      [weekStart(options.end, config.weekStartIndex), options.end],
    ),
  };
  deps.log.info(LOG_EVENTS.started, {
    start_date: options.start,
    target_date: options.end,
    dry_run: options.dryRun,
  });
  try {
    const output = await runStages(job);
    deps.log.info(LOG_EVENTS.completed, {
      target_date: options.end,
      start_date: options.start,
      dry_run: options.dryRun,
      rows: output.dataset.rows,
    });
    return output;
  } catch (error) {
    deps.log.error(LOG_EVENTS.failed, { target_date: options.end, error });
    throw error;
  }
}

async function runStages(job: JobContext): Promise<JobOutput> {
  const { config, options, deps } = job;
  const { prior, tracked } = await readPriorWhileTracking(job);
  const provenance = provenanceFields(
    options.provenance,
    { start: options.start, end: options.end },
    prior.opened?.version.versionIndex ?? null,
  );
  const uploaded = await upload(job, prior, tracked, provenance);
  const result = await calculate(job, uploaded);
  const alerts = planAlerts(config, result.usage.daily, tracked.fetched, options.end);
  const renderers = render(job, alerts);
  const tables = options.dryRun ? undefined : await publish(job, result, uploaded, renderers, provenance);
  const published = tables?.runs ?? [];
  const dashboard = tables ? await publishDashboardOf(job, result, tables, alerts) : undefined;
  const sent = await alert(job, alerts, tables, dashboard);

  const report: JobReport = {
    target_date: options.end,
    start_date: options.start,
    dry_run: options.dryRun,
    logged_at: job.loggedAt,
    tracker: {
      teams: tracked.teams,
      projects: tracked.projects,
      runs_counted: tracked.counted,
      runs_skipped: countReasons(tracked),
      runs_without_gpu_count: tracked.withoutGpuCount.length,
      rows: tracked.rows.length,
      metrics_failed: tracked.metricsFailed,
      samples_dropped: tracked.samplesDropped,
      over_allocated: tracked.overAllocated,
    },
    dataset: { rows: uploaded.planned.rowCount, version: uploaded.version, attempts: uploaded.attempts },
    calculator: result.counts,
    published,
    report: dashboard?.report ?? null,
    digest: dashboard?.digest ?? { messages: 0, sent: 0, failed: 0 },
    alerts: {
      planned: alerts.length,
      wandb: sent.wandb,
      slack: sent.slack,
      slack_failed: sent.slackFailed,
      titles: alerts.map((a) => a.title),
    },
    requests: deps.wandb.requestCounts(),
  };
  const dataset: JobDataset = {
    rows: uploaded.planned.rowCount,
    readAll: () => readVersionRows(uploaded.planned, uploaded.base),
  };
  return { report, dataset, result };
}

/**
 * The prior dataset, loaded while the tracker fetches (the rows of the months the job's dates touch
 * and T's week; the others' sums): its requests and its parse fill the seconds the tracker spends
 * waiting on W&B's listings. An unreadable or missing one still stops the job
 * before anything is written, and stops the tracker's requests (read-only) where they are, so the job
 * fails as soon as the prior does.
 */
async function readPriorWhileTracking(
  job: JobContext,
): Promise<{ prior: LoadedBase; tracked: TrackerResult }> {
  const { config, deps } = job;
  const stopTracking = new AbortController();
  const reading = openPriorDataset(config, { wandb: deps.wandb, log: deps.log })
    .then((opened) => loadBase(opened, job.wanted, job.night))
    .catch((error: unknown) => {
      stopTracking.abort(error);
      throw error;
    });
  const [prior, tracked] = await allSettledOrThrow([
    reading,
    track(job, deps.wandb.stoppedBy(stopTracking.signal)),
  ]);
  return { prior, tracked };
}

/** Tracker stage: the run-day rows of the job's dates. */
async function track(job: JobContext, wandb: WandbClient): Promise<TrackerResult> {
  const { config, options, deps, zone } = job;
  const range = { start: options.start, end: options.end };
  const only = options.companies;
  const fetchedConfig = only
    ? { ...config, companies: config.companies.filter((c) => only.includes(c.company)) }
    : config;
  const tracked = await fetchRunDays(
    fetchedConfig,
    range,
    {
      zone,
      times: localTimesIn(zone),
      dates: dateRange(range.start, range.end),
      bounds: localDayBounds(range.start, range.end, zone),
      loggedAt: job.loggedAt,
    },
    {
      wandb,
      log: deps.log,
      onProgress: (done, total) => deps.onProgress?.('tracker', done, total),
    },
  );
  deps.log.info('tracker.completed', {
    rows: tracked.rows.length,
    runs_counted: tracked.counted,
    runs_skipped: tracked.skipped.length,
    runs_without_gpu_count: tracked.withoutGpuCount.length,
    metrics_failed: tracked.metricsFailed.length,
    samples_dropped: tracked.samplesDropped.reduce((n, d) => n + d.below_zero + d.above_hundred, 0),
    over_allocated: tracked.overAllocated.length,
  });
  return tracked;
}

/** Uploader stage: merge onto the prior dataset; commit a new version unless this is a dry run. */
async function upload(
  job: JobContext,
  prior: LoadedBase,
  tracked: TrackerResult,
  provenance: ProvenanceFields,
): Promise<UploadedDataset> {
  const { config, options, deps } = job;
  let uploaded: UploadedDataset;
  if (options.dryRun) {
    const planned = buildVersion(prior, byMonth(tracked.rows), job.night);
    uploaded = { planned, base: prior.opened, version: undefined, attempts: 0 };
  } else {
    const published = await uploadNightDataset(
      tracked.rows,
      datasetTarget(config),
      { runId: deps.randomId(), displayName: `Update_${options.end}`, config: provenance },
      { wandb: deps.wandb, log: deps.log },
      prior,
      { zone: job.zone, metadata: provenance, night: job.night, wanted: job.wanted },
    );
    uploaded = {
      planned: published.version,
      base: published.base,
      version: published.versionIndex,
      attempts: published.attempts,
    };
  }
  deps.log.info('uploader.completed', {
    rows: uploaded.planned.rowCount,
    version: uploaded.version,
    dry_run: options.dryRun,
  });
  return uploaded;
}

/** Calculator stage: T's tables from the version the job planned. */
async function calculate(job: JobContext, uploaded: UploadedDataset): Promise<CalculatorResult> {
  const { config, options, deps } = job;
  // T's week and month are among the months the job read, so their rows are all in the planned version.
  const result = await plannedTables(uploaded.planned, async () => [], config, options.end);
  if (result.counts.unknownTeamRows > 0) {
    deps.log.warn('calculator.unknown_teams', {
      rows: result.counts.unknownTeamRows,
      teams: result.counts.unknownTeams,
    });
  }
  return result;
}

type Renderers = {
  readonly pages: PageRenderer | undefined;
  readonly statementPage: (statement: Statement) => string;
};

/** Report stage: the pages of a date's tables (this job's alerts on its own T's pages) and the statements'. */
function render(job: JobContext, alerts: readonly Alert[]): Renderers {
  const { config, options } = job;
  const pages: PageRenderer = (tables, runIdOf) =>
    renderPages(
      dashboardFromTables({
        result: tables,
        config,
        runIdOf,
        alerts: tables.target === options.end ? [...alerts] : [],
        loggedAt: job.loggedAt,
      }),
    );
  return { pages: config.report.page ? pages : undefined, statementPage: renderStatementPage };
}

/** Publishing stage: the Tables runs with their pages and statements, then `latest`. */
async function publish(
  job: JobContext,
  result: CalculatorResult,
  uploaded: UploadedDataset,
  renderers: Renderers,
  provenance: ProvenanceFields,
): Promise<PublishedTables> {
  const { config, options, deps } = job;
  return publishTables(
    result,
    config,
    options.start,
    { wandb: deps.wandb, log: deps.log },
    {
      provenance,
      versions:
        uploaded.version === undefined
          ? undefined
          : datasetVersions(deps.wandb, {
              config,
              own: uploaded.version,
              planned: uploaded.planned,
              zone: job.zone,
              night: job.night,
            }),
      ...renderers,
    },
  );
}

/** Publishing stage, continued: the W&B Report and the Slack digest. */
function publishDashboardOf(
  job: JobContext,
  result: CalculatorResult,
  tables: PublishedTables,
  alerts: readonly Alert[],
): Promise<DashboardOutcome> {
  const { config, options, deps } = job;
  return publishDashboard(
    {
      config,
      result,
      newest: tables.newest,
      published: tables.runs,
      alerts: [...alerts],
      baseUrl: deps.wandbBaseUrl,
      slackWebhookUrl: options.slackWebhookUrl,
    },
    { wandb: deps.wandb, log: deps.log, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
  );
}

/** Alert stage: W&B alerts on the overall run; Slack gets them only when no digest carried them. */
async function alert(
  job: JobContext,
  alerts: readonly Alert[],
  tables: PublishedTables | undefined,
  dashboard: DashboardOutcome | undefined,
): Promise<{ wandb: number; slack: number; slackFailed: number }> {
  const { config, options, deps } = job;
  const sent = { wandb: 0, slack: 0, slackFailed: 0 };
  const overall = tables?.runs.find((p) => p.tag === OVERALL_TAG);
  if (!config.enable_alert || options.dryRun || !overall || alerts.length === 0) return sent;
  return sendAlerts(
    [...alerts],
    {
      run: { entity: config.dashboard.entity, project: config.dashboard.project, run: overall.runId },
      // The digest folds the alerts in: Slack then gets no message of its own per alert.
      slackWebhookUrl: (dashboard?.digest.messages ?? 0) > 0 ? undefined : options.slackWebhookUrl,
    },
    { wandb: deps.wandb, log: deps.log, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
  );
}
