import { duplicateInitAlert, findDuplicateGroups } from './alert/duplicate-init.js';
import { lowUtilizationAlerts } from './alert/low-utilization.js';
import { sendAlerts } from './alert/send-alerts.js';
import type { Alert } from './alert/types.js';
import { type CalculatorResult, calculateTables } from './calculator/build-tables.js';
import {
  type DatasetVersions,
  type PageRenderer,
  type PublishedRun,
  publishTables,
} from './calculator/publish-tables.js';
import type { Config } from './config/types.js';
import { dashboardFromTables } from './report/from-tables.js';
import { renderPages } from './report/pages.js';
import { type DashboardOutcome, publishDashboard } from './report/publish-dashboard.js';
import type { Clock } from './shared/clock.js';
import { dateRange, formatLocalTime, type IsoDate, localDayBounds } from './shared/dates.js';
import type { Logger } from './shared/logger.js';
import { fetchRunDays, type TrackerResult } from './tracker/fetch-runs.js';
import { mergeDataset } from './uploader/merge-dataset.js';
import { readPriorDataset } from './uploader/prior-dataset.js';
import {
  type Dataset,
  DatasetError,
  type DatasetTarget,
  datasetTarget,
  publishDataset,
  readDatasetVersion,
} from './uploader/publish-dataset.js';
import { latestArtifactVersion } from './wandb/artifacts.js';
import type { WandbClient } from './wandb/client.js';
import { createRun, finishRun } from './wandb/run-writer.js';

export type JobOptions = {
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly dryRun: boolean;
  readonly slackWebhookUrl?: string | undefined;
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

export type JobReport = {
  readonly target_date: IsoDate;
  readonly start_date: IsoDate;
  readonly dry_run: boolean;
  readonly logged_at: string;
  readonly tracker: {
    teams: number;
    projects: number;
    runs_counted: number;
    runs_skipped: Record<string, number>;
    rows: number;
    /** Counted runs whose metrics W&B would not give (kept with empty metrics). */
    metrics_failed: TrackerResult['metricsFailed'];
    /** Counted runs with GPU samples outside [0, 100], dropped and counted by kind. */
    samples_dropped: TrackerResult['samplesDropped'];
    /** Run-days using more GPUs than the company was allocated that day (kept). */
    over_allocated: TrackerResult['overAllocated'];
  };
  readonly dataset: { rows: number; version: number | undefined; attempts: number };
  readonly calculator: CalculatorResult['counts'];
  readonly published: readonly PublishedRun[];
  /** The W&B Report the job keeps: its id and URL (null: dry run, turned off, or kept by a newer job). */
  readonly report: DashboardOutcome['report'];
  /** The Slack digest: messages built, posted, failed. */
  readonly digest: DashboardOutcome['digest'];
  readonly alerts: { planned: number; wandb: number; slack: number; slack_failed: number; titles: string[] };
  readonly requests: Readonly<Record<string, number>>;
};

export type JobOutput = { report: JobReport; dataset: Dataset; result: CalculatorResult };

/** The nightly job, the only place that knows the stage order: tracker → uploader → calculator → alert. */
export async function runJob(config: Config, options: JobOptions, deps: JobDeps): Promise<JobOutput> {
  const zone = config.timezone;
  const loggedAt = formatLocalTime(deps.clock.now().getTime(), zone);
  const range = { start: options.start, end: options.end };
  deps.log.info('pipeline.started', {
    start_date: range.start,
    target_date: range.end,
    dry_run: options.dryRun,
  });

  // Read (and parse) the prior dataset before any work: an unreadable or missing one stops the job here.
  const prior = await readPriorDataset(config, { wandb: deps.wandb, log: deps.log });

  const tracked = await fetchRunDays(
    config,
    range,
    {
      zone,
      dates: dateRange(range.start, range.end),
      bounds: localDayBounds(range.start, range.end, zone),
      loggedAt,
    },
    {
      wandb: deps.wandb,
      log: deps.log,
      onProgress: (done, total) => deps.onProgress?.('tracker', done, total),
    },
  );
  deps.log.info('tracker.completed', {
    rows: tracked.rows.length,
    runs_counted: tracked.counted,
    runs_skipped: tracked.skipped.length,
    metrics_failed: tracked.metricsFailed.length,
    samples_dropped: tracked.samplesDropped.reduce((n, d) => n + d.below_zero + d.above_hundred, 0),
    over_allocated: tracked.overAllocated.length,
  });

  const target = datasetTarget(config);
  let dataset: Dataset;
  let version: number | undefined;
  let attempts = 0;
  if (options.dryRun) {
    const merged = mergeDataset(prior?.dataset.rows ?? [], prior?.dataset.extras ?? [], tracked.rows);
    dataset = { rows: merged.rows, extras: merged.extras };
  } else {
    const runId = deps.randomId();
    await createRun(deps.wandb, {
      entity: target.entity,
      project: target.project,
      runId,
      displayName: `Update_${range.end}`,
      jobType: 'upload-dataset',
      tags: [],
    });
    const published = await publishDataset(
      tracked.rows,
      target,
      runId,
      { wandb: deps.wandb, log: deps.log },
      prior,
      zone,
    );
    await finishRun(deps.wandb, { entity: target.entity, project: target.project, run: runId }, 0);
    ({ dataset, versionIndex: version, attempts } = published);
  }
  deps.log.info('uploader.completed', { rows: dataset.rows.length, version, dry_run: options.dryRun });

  const result = calculateTables(dataset.rows, config, range.end);
  if (result.counts.unknownTeamRows > 0) {
    deps.log.warn('calculator.unknown_teams', {
      rows: result.counts.unknownTeamRows,
      teams: result.counts.unknownTeams,
    });
  }
  const alerts = planAlerts(config, result, tracked, range.end);
  // The report stage: the dashboard pages, logged with the Tables (this job's alerts on its own T's pages).
  const pages: PageRenderer = (tables, runIdOf) =>
    renderPages(
      dashboardFromTables({
        result: tables,
        config,
        runIdOf,
        alerts: tables.target === range.end ? alerts : [],
        loggedAt,
      }),
    );
  const tables = options.dryRun
    ? undefined
    : await publishTables(
        result,
        config,
        range.start,
        { wandb: deps.wandb, log: deps.log },
        {
          versions:
            version === undefined ? undefined : datasetVersions(deps.wandb, target, version, dataset, zone),
          pages: config.report.page ? pages : undefined,
        },
      );

  const published = tables?.runs ?? [];
  const dashboard = tables
    ? await publishDashboard(
        {
          config,
          result,
          newest: tables.newest,
          published,
          alerts,
          baseUrl: deps.wandbBaseUrl,
          slackWebhookUrl: options.slackWebhookUrl,
        },
        { wandb: deps.wandb, log: deps.log, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
      )
    : undefined;

  const sent = { wandb: 0, slack: 0, slackFailed: 0 };
  const overall = published.find((p) => p.tag === 'overall');
  if (config.enable_alert && !options.dryRun && overall && alerts.length > 0) {
    Object.assign(
      sent,
      await sendAlerts(
        alerts,
        {
          run: { entity: config.dashboard.entity, project: config.dashboard.project, run: overall.runId },
          // The digest folds the alerts in: Slack then gets no message of its own per alert.
          slackWebhookUrl: (dashboard?.digest.messages ?? 0) > 0 ? undefined : options.slackWebhookUrl,
        },
        { wandb: deps.wandb, log: deps.log, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
      ),
    );
  }

  const report: JobReport = {
    target_date: range.end,
    start_date: range.start,
    dry_run: options.dryRun,
    logged_at: loggedAt,
    tracker: {
      teams: tracked.teams,
      projects: tracked.projects,
      runs_counted: tracked.counted,
      runs_skipped: countReasons(tracked),
      rows: tracked.rows.length,
      metrics_failed: tracked.metricsFailed,
      samples_dropped: tracked.samplesDropped,
      over_allocated: tracked.overAllocated,
    },
    dataset: { rows: dataset.rows.length, version, attempts },
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
  return { report, dataset, result };
}

function planAlerts(
  config: Config,
  result: CalculatorResult,
  tracked: TrackerResult,
  target: IsoDate,
): Alert[] {
  const alerts = lowUtilizationAlerts(result.usage.daily, target, config.alerts.low_utilization_percent);
  const groups = findDuplicateGroups(
    tracked.fetched.map((r) => ({
      team: r.team,
      project: r.project,
      runId: r.runId,
      host: r.host ?? '',
      start: r.createdAt,
      end: r.heartbeatAt,
    })),
  );
  const duplicate = duplicateInitAlert(groups, (ms) => formatLocalTime(ms, config.timezone).slice(0, 19));
  return duplicate ? [...alerts, duplicate] : alerts;
}

/** This job's committed version, and the newest one, read only when a concurrent job committed since. */
function datasetVersions(
  wandb: WandbClient,
  target: DatasetTarget,
  own: number,
  dataset: Dataset,
  zone: string,
): DatasetVersions {
  return {
    own,
    latest: async () => (await latestArtifactVersion(wandb, target))?.versionIndex,
    rows: async (version) => {
      if (version === own) return dataset.rows;
      const read = await readDatasetVersion(wandb, target, `v${version}`, zone);
      if (!read)
        throw new DatasetError(`${target.entity}/${target.project}/${target.name}:v${version}`, 'not found');
      return read.dataset.rows;
    },
  };
}

function countReasons(tracked: TrackerResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of tracked.skipped) counts[s.reason] = (counts[s.reason] ?? 0) + 1;
  return counts;
}
