import { allocationWindow } from '../calculator/calendar.js';
import type { Company, Config } from '../config/types.js';
import { addDays, localDateOf, startOfLocalDay } from '../shared/dates.js';
import type { Logger } from '../shared/logger.js';
import type { RunDay } from '../shared/run-day.js';
import type { WandbClient } from '../wandb/client.js';
import {
  type EventsRun,
  fetchEventsBatch,
  HEARTBEAT_DESCENDING,
  listProjectsOfEntities,
  listRunsOfProjects,
  planEventBatches,
  type RunNode,
} from '../wandb/runs.js';
import { type RunDayContext, runDays } from './daily-usage.js';
import { gpuCountFor } from './gpu-count.js';
import { projectFilter } from './project-filter.js';
import { type DateRange, selectRuns, windowMeetsRange } from './select-runs.js';
import type { RunRecord, SkippedRun } from './types.js';

export type TrackerResult = {
  readonly rows: RunDay[];
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

/**
 * The listing of a company's projects, on documented W&B fields only (Python SDK `Api.runs` docstring:
 * filter field `createdAt`, order `heartbeat_at`): created before the end of the range, newest heartbeat
 * first, paging stopped at the first heartbeat before the range starts. `updatedAt` is not used: nothing
 * documents that W&B moves it with heartbeats, and a run whose `updatedAt` stayed at creation must count.
 * The exact counting rules stay on the client (selectRuns).
 */
export function runQuery(
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

  const acc: Accumulated = { rows: [], fetched: [], skipped: [], counted: 0 };
  const toFetch: (EventsRun & { company: Company; record: RunRecord })[] = [];
  work.forEach(({ company, team, project, query }, i) => {
    // The last page may reach older runs: they cannot touch the range, as if never listed.
    const records = (runLists[i] ?? [])
      .flatMap((n) => toRunRecord(team, project, n) ?? [])
      .filter((r) => r.heartbeatAt >= query.heartbeatFrom);
    const { counted, skipped } = selectRuns(records, company, range, ctx.zone);
    acc.skipped.push(...skipped);
    acc.fetched.push(...records.filter((r) => r.heartbeatAt > r.createdAt));
    for (const s of skipped.filter((s) => s.reason === 'heartbeat-before-creation')) {
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
      const events = await fetchEventsBatch(deps.wandb, batch, config.metrics_samples);
      batch.forEach(({ company, record }, i) => {
        acc.rows.push(...countedRunDays(config, company, record, events[i] ?? [], ctx, deps, acc));
      });
      deps.onProgress?.(++done, batches.length);
    }),
  );
  return { ...acc, teams: teams.length, projects: work.length };
}

type Accumulated = { rows: RunDay[]; fetched: RunRecord[]; skipped: SkippedRun[]; counted: number };

function countedRunDays(
  config: Config,
  company: Company,
  run: RunRecord,
  events: readonly Record<string, unknown>[],
  ctx: RunDayContext,
  deps: TrackerDeps,
  result: Accumulated,
): RunDay[] {
  const gpu = gpuCountFor(
    { ...run, createdLocalDate: localDateOf(new Date(run.createdAt), ctx.zone) },
    company,
    config,
  );
  const { team, project, runId } = run;
  if (gpu.count === undefined) {
    result.skipped.push({ team, project, runId, reason: 'no-gpu-count' });
    deps.log.warn('tracker.gpu_count_missing', { team, project, run_id: runId });
  }
  result.counted += 1;
  return runDays(run, events, gpu.count ?? null, ctx);
}
