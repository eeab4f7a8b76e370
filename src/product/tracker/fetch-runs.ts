import type { Company, Config } from '../config/types.js';
import { allocationWindow, nodesOn } from '../shared/calendar.js';
import { addDays, type IsoDate, startOfLocalDay } from '../shared/dates.js';
import { MetricsUnavailableError } from '../shared/errors.js';
import { gpuCountFor } from '../shared/gpu-count.js';
import type { Logger } from '../shared/logger.js';
import type { RunDay } from '../shared/run-day.js';
import type { WandbClient } from '../wandb/client.js';
import { WandbResponseError } from '../wandb/errors.js';
import {
  type EventsAnswer,
  type EventsRun,
  eventRows,
  fetchEventsBatch,
  HEARTBEAT_DESCENDING,
  listProjectsOfEntities,
  listRunsOfProjects,
  planEventBatches,
  type RunNode,
} from '../wandb/runs.js';
import { noDrops, type RunDayContext, runDays, type SampleDrops } from './daily-usage.js';
import { projectFilter } from './project-filter.js';
import { type DateRange, selectRuns, windowMeetsRange } from './select-runs.js';
import type { RunRecord, SkippedRun, SkipReason } from './types.js';

/** A counted run's reference in reports: `team/project/run_id` parts. */
export type RunNote = { readonly team: string; readonly project: string; readonly run_id: string };

export type TrackerResult = {
  readonly rows: RunDay[];
  /** Counted runs whose metrics W&B would not give: kept with empty metrics. */
  readonly metricsFailed: (RunNote & { readonly error: string })[];
  /** Counted runs no GPU-count rule matched: kept, their rows with an empty gpu_count. */
  readonly withoutGpuCount: RunNote[];
  /** Counted runs with GPU samples outside [0, 100], dropped. */
  readonly samplesDropped: (RunNote & SampleDrops)[];
  /** Run-days whose GPU count exceeds the company's allocated GPUs that day: kept. */
  readonly overAllocated: (RunNote & {
    readonly date: IsoDate;
    readonly gpu_count: number;
    readonly allocated_gpus: number;
  })[];
  /** Every run fetched with a positive interval (duplicate-init detection looks at these). */
  readonly fetched: RunRecord[];
  readonly counted: number;
  readonly skipped: SkippedRun[];
  readonly teams: number;
  readonly projects: number;
};

export type TrackerDeps = {
  wandb: WandbClient;
  log: Logger;
  onProgress?: (done: number, total: number) => void;
};

/** W&B DateTime form for filters: UTC, no zone suffix. */
function wandbTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19);
}

/** Runs on each project's first listing page: a nightly range needs one small page for most projects. */
const FIRST_PAGE_RUNS = 50;

/** Skips logged one by one: a clock gone wrong, and W&B text the dataset cannot hold. */
const LOGGED_SKIPS: ReadonlySet<SkipReason> = new Set(['heartbeat-before-creation', 'text-out-of-bounds']);

/**
 * The listing of a company's projects, on documented W&B fields only (Python SDK `Api.runs` docstring:
 * filter field `createdAt`, order `heartbeat_at`): created before the end of the range, newest heartbeat
 * first, paging stopped at the first heartbeat before the range starts. `updatedAt` is not used: nothing
 * documents that W&B moves it with heartbeats, and a run whose `updatedAt` stayed at creation must count.
 * The exact counting rules stay on the client (selectRuns).
 */
function runQuery(
  company: Company,
  range: DateRange,
  zone: string,
): { filters: object; heartbeatFrom: number } {
  const window = allocationWindow(company);
  const from = startOfLocalDay(range.start > window.start ? range.start : window.start, zone);
  const to = startOfLocalDay(
    addDays(window.end !== undefined && window.end < range.end ? window.end : range.end, 1),
    zone,
  );
  return { filters: { createdAt: { $lt: wandbTime(to) } }, heartbeatFrom: from };
}

export function toRunRecord(team: string, project: string, node: RunNode): RunRecord | undefined {
  const createdAt = Date.parse(`${node.createdAt.replace(/Z$/, '')}Z`);
  // No heartbeat: zero length, never counted (updatedAt is not a documented stand-in).
  const heartbeatAt = Date.parse(`${(node.heartbeatAt ?? node.createdAt).replace(/Z$/, '')}Z`);
  if (Number.isNaN(createdAt) || Number.isNaN(heartbeatAt)) return undefined;
  return {
    team,
    project,
    runId: node.name,
    displayName: node.displayName,
    description: node.description ?? null,
    state: node.state ?? '',
    tags: node.tags ?? [],
    host: node.host,
    createdAt,
    heartbeatAt,
    runInfo: node.runInfo,
    username: node.username,
    config: node.config,
    summaryMetrics: node.summaryMetrics,
    eventsLineCount: node.eventsLineCount,
  };
}

/**
 * Tracker stage: each team's projects, their countable runs and GPU metrics, as run-day rows. Listing is
 * batched over teams and projects, and metrics over every counted run of the job (aliased queries), so
 * requests scale with the runs to fetch, not with the number of projects; each metrics answer is turned
 * into rows as it arrives, so only the requests in flight hold raw samples.
 */
export async function fetchRunDays(
  config: Config,
  range: DateRange,
  ctx: RunDayContext,
  deps: TrackerDeps,
): Promise<TrackerResult> {
  const companies = config.companies.filter((c) => windowMeetsRange(c, range));
  const teams = companies.flatMap((company) => company.teams.map((team) => ({ company, team })));
  const projectLists = await listProjectsOfEntities(
    deps.wandb,
    teams.map((t) => t.team),
  );
  const work = teams.flatMap(({ company, team }, i) => {
    const keep = projectFilter(company);
    return (projectLists[i] ?? [])
      .filter((p) => keep(p.name))
      .map((p) => ({ company, team, project: p.name, query: runQuery(company, range, ctx.zone) }));
  });
  const runLists = await listRunsOfProjects(
    deps.wandb,
    work.map((w) => ({ entity: w.team, project: w.project, ...w.query })),
    { order: HEARTBEAT_DESCENDING, firstPage: FIRST_PAGE_RUNS },
  );

  const acc: Accumulated = {
    rows: [],
    fetched: [],
    skipped: [],
    counted: 0,
    metricsFailed: [],
    withoutGpuCount: [],
    samplesDropped: [],
    overAllocated: [],
  };
  const toFetch: (EventsRun & { company: Company; record: RunRecord })[] = [];
  work.forEach(({ company, team, project, query }, i) => {
    // The last page may reach older runs: they cannot touch the range, as if never listed.
    const records = (runLists[i] ?? [])
      .flatMap((n) => toRunRecord(team, project, n) ?? [])
      .filter((r) => r.heartbeatAt >= query.heartbeatFrom);
    const { counted, skipped } = selectRuns(records, company, range, ctx.zone);
    acc.skipped.push(...skipped);
    acc.fetched.push(...records.filter((r) => r.heartbeatAt > r.createdAt));
    for (const s of skipped.filter((s) => LOGGED_SKIPS.has(s.reason))) {
      deps.log.warn('tracker.run_skipped', { team, project, run_id: s.runId, reason: s.reason });
    }
    for (const record of counted) {
      toFetch.push({
        entity: team,
        project,
        run: record.runId,
        lines: record.eventsLineCount,
        company,
        record,
      });
    }
  });

  const batches = planEventBatches(toFetch, { samples: config.metrics_samples });
  let done = 0;
  await Promise.all(
    batches.map(async (batch) => {
      const answers = await fetchEventsBatch(deps.wandb, batch, config.metrics_samples);
      batch.forEach(({ company, record }, i) => {
        acc.rows.push(...countedRunDays(config, company, record, answers[i], ctx, deps, acc));
      });
      deps.onProgress?.(++done, batches.length);
    }),
  );
  const failed = acc.metricsFailed.length;
  if (failed > 1 && failed > acc.counted * MAX_FAILED_METRICS_SHARE) {
    throw new MetricsUnavailableError(
      `W&B gave no metrics for ${failed} of ${acc.counted} counted runs (more than ${MAX_FAILED_METRICS_SHARE * 100} %): nothing is written`,
    );
  }
  return { ...acc, teams: teams.length, projects: work.length };
}

type Accumulated = Omit<TrackerResult, 'teams' | 'projects' | 'counted'> & { counted: number };

/** Metrics that fail for most runs mean W&B is failing, not a run: stop rather than publish empty metrics. */
const MAX_FAILED_METRICS_SHARE = 0.5;

function countedRunDays(
  config: Config,
  company: Company,
  run: RunRecord,
  answer: EventsAnswer | undefined,
  ctx: RunDayContext,
  deps: TrackerDeps,
  result: Accumulated,
): RunDay[] {
  const gpu = gpuCountFor({ ...run, createdLocalDate: ctx.times.date(run.createdAt) }, company, config);
  const note = runNote(run);
  if (gpu.count === undefined) {
    result.withoutGpuCount.push(note);
    deps.log.warn('tracker.gpu_count_missing', note);
  }
  result.counted += 1;
  const metricsFailed = (error: Error) => {
    result.metricsFailed.push({ ...note, error: error.message });
    deps.log.warn('tracker.metrics_failed', { ...note, error });
  };
  if (answer?.error) metricsFailed(answer.error);
  let drops = noDrops();
  let rows: RunDay[];
  try {
    // The lines are parsed as the rows are folded (eventRows), so a bad line shows here, not at the fetch.
    rows = runDays(run, eventRows(answer?.lines ?? []), gpu.count ?? null, ctx, drops);
  } catch (error) {
    if (!(error instanceof WandbResponseError)) throw error;
    // As when W&B will not give the metrics: the run is kept, its metrics empty.
    metricsFailed(error);
    drops = noDrops();
    rows = runDays(run, [], gpu.count ?? null, ctx, drops);
  }
  if (drops.below_zero + drops.above_hundred > 0) {
    result.samplesDropped.push({ ...note, ...drops });
    for (const [kind, count] of Object.entries(drops)) {
      if (count > 0) deps.log.debug('tracker.sample_dropped', { ...note, kind, count });
    }
  }
  for (const row of rows) {
    const allocated = nodesOn(company, row.date) * config.gpus_per_node;
    // Days without nodes are outside the allocation, which the tables leave out anyway.
    if (allocated > 0 && row.gpu_count !== null && row.gpu_count > allocated) {
      result.overAllocated.push({
        ...note,
        date: row.date,
        gpu_count: row.gpu_count,
        allocated_gpus: allocated,
      });
      deps.log.warn('tracker.run_over_allocation', {
        ...note,
        date: row.date,
        gpu_count: row.gpu_count,
        allocated_gpus: allocated,
      });
    }
  }
  return rows;
}

function runNote(run: RunRecord): RunNote {
  return { team: run.team, project: run.project, run_id: run.runId };
}
