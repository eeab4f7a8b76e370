import pLimit from 'p-limit';
import { allocationWindow } from '../calculator/calendar.js';
import type { Company, Config } from '../config/types.js';
import { addDays, localDateOf, startOfLocalDay } from '../shared/dates.js';
import type { Logger } from '../shared/logger.js';
import type { RunDay } from '../shared/run-day.js';
import type { WandbClient } from '../wandb/client.js';
import { fetchEvents, listProjects, listRuns, type RunNode } from '../wandb/runs.js';
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

/**
 * Server-side filter that can only narrow, never lose, a countable run (SPEC §4): created before
 * the end of the range, and updated (never earlier than the heartbeat) after its start.
 */
export function runFilters(company: Company, range: DateRange, zone: string): object {
  const window = allocationWindow(company);
  const from = startOfLocalDay(range.start > window.start ? range.start : window.start, zone);
  const to = startOfLocalDay(
    addDays(window.end !== undefined && window.end < range.end ? window.end : range.end, 1),
    zone,
  );
  return { $and: [{ createdAt: { $lt: wandbTime(to) } }, { updatedAt: { $gte: wandbTime(from) } }] };
}

export function toRunRecord(team: string, project: string, node: RunNode): RunRecord | undefined {
  const createdAt = Date.parse(`${node.createdAt.replace(/Z$/, '')}Z`);
  const heartbeatAt = Date.parse(
    `${(node.heartbeatAt ?? node.updatedAt ?? node.createdAt).replace(/Z$/, '')}Z`,
  );
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
  };
}

/** Tracker stage: each team's projects, their countable runs and GPU metrics, as run-day rows. */
export async function fetchRunDays(
  config: Config,
  range: DateRange,
  ctx: RunDayContext,
  deps: TrackerDeps,
): Promise<TrackerResult> {
  const acc: Accumulated = { rows: [], fetched: [], skipped: [], counted: 0 };
  const work: { company: Company; team: string; project: string }[] = [];
  const companies = config.companies.filter((c) => windowMeetsRange(c, range));
  const limit = pLimit(config.max_workers);
  await Promise.all(
    companies.flatMap((company) =>
      company.teams.map((team) =>
        limit(async () => {
          const keep = projectFilter(company);
          const projects = (await listProjects(deps.wandb, team)).filter((p) => keep(p.name));
          for (const p of projects) work.push({ company, team, project: p.name });
        }),
      ),
    ),
  );
  let done = 0;
  await Promise.all(
    work.map((item) =>
      limit(async () => {
        acc.rows.push(...(await fetchProject(config, item, range, ctx, deps, acc)));
        deps.onProgress?.(++done, work.length);
      }),
    ),
  );
  const teams = companies.reduce((n, c) => n + c.teams.length, 0);
  return { ...acc, teams, projects: work.length };
}

type Accumulated = { rows: RunDay[]; fetched: RunRecord[]; skipped: SkippedRun[]; counted: number };

async function fetchProject(
  config: Config,
  { company, team, project }: { company: Company; team: string; project: string },
  range: DateRange,
  ctx: RunDayContext,
  deps: TrackerDeps,
  result: Accumulated,
): Promise<RunDay[]> {
  const nodes = await listRuns(deps.wandb, {
    entity: team,
    project,
    filters: runFilters(company, range, ctx.zone),
    order: '+created_at',
  });
  const records = nodes.flatMap((n) => toRunRecord(team, project, n) ?? []);
  const { counted, skipped } = selectRuns(records, company, range, ctx.zone);
  result.skipped.push(...skipped);
  result.fetched.push(...records.filter((r) => r.heartbeatAt > r.createdAt));
  for (const s of skipped.filter((s) => s.reason === 'heartbeat-before-creation')) {
    deps.log.warn('tracker.run_skipped', { team, project, run_id: s.runId, reason: s.reason });
  }
  if (counted.length === 0) return [];
  const events = await fetchEvents(deps.wandb, {
    entity: team,
    project,
    runs: counted.map((r) => r.runId),
    samples: config.metrics_samples,
  });
  const rows: RunDay[] = [];
  for (const run of counted) {
    const gpu = gpuCountFor(
      { ...run, createdLocalDate: localDateOf(new Date(run.createdAt), ctx.zone) },
      company,
      config,
    );
    if (gpu.count === undefined) {
      result.skipped.push({ team, project, runId: run.runId, reason: 'no-gpu-count' });
      deps.log.warn('tracker.gpu_count_missing', { team, project, run_id: run.runId });
    }
    rows.push(...runDays(run, events.get(run.runId) ?? [], gpu.count ?? null, ctx));
  }
  result.counted += counted.length;
  return rows;
}
