import type { Config } from '../config/types.js';
import { compareCodePoints } from '../shared/compare.js';
import { addDays, type IsoDate } from '../shared/dates.js';
import type { Logger } from '../shared/logger.js';
import type { WandbClient } from '../wandb/client.js';
import {
  createRun,
  deterministicRunId,
  finishRun,
  listRunsByTag,
  logHistory,
  setRunTags,
  uploadRunFiles,
} from '../wandb/run-writer.js';
import type { CalculatorResult } from './build-tables.js';
import { nodesOn } from './calendar.js';
import type { Table } from './columns.js';
import { companyTables, overallTables } from './company-tables.js';
import { tableFile } from './wandb-table.js';

export const OVERALL_TAG = 'overall';
export const TABLES_JOB_TYPE = 'update-table';

export type PublishedRun = { readonly tag: string; readonly runId: string; readonly storageId: string };
export type PublishTablesDeps = { wandb: WandbClient; log: Logger };

/**
 * Run id of a Tables run, derived from the target date and tag: a rerun for the same date
 * writes into the same run (upsert) instead of leaving a second one behind.
 */
export function tablesRunId(target: IsoDate, tag: string): string {
  return deterministicRunId(`Tables_${target}\u0000${tag}`);
}

/** Companies with nodes on some day of [start, T] get a run (SPEC §7). */
export function publishedCompanies(config: Config, start: IsoDate, target: IsoDate): string[] {
  return config.companies
    .filter((c) => {
      for (let d = start; d <= target; d = addDays(d, 1)) if (nodesOn(c, d) > 0) return true;
      return false;
    })
    .map((c) => c.company);
}

/**
 * Calculator publishing (SPEC §7): one `Tables_<T>` run for overall and per company, each
 * tagged [tag, latest] and logging real W&B Tables; only after all are published does
 * `latest` leave the older runs, so the dashboard always has one.
 */
export async function publishTables(
  result: CalculatorResult,
  config: Config,
  start: IsoDate,
  deps: PublishTablesDeps,
): Promise<PublishedRun[]> {
  const { entity, project, tag_for_latest: latest } = config.dashboard;
  const targets: [string, Record<string, Table>][] = [
    [OVERALL_TAG, overallTables(result)],
    ...publishedCompanies(config, start, result.target).map((c): [string, Record<string, Table>] => [
      c,
      companyTables(result, c),
    ]),
  ];
  const published: PublishedRun[] = [];
  for (const [tag, tables] of targets) {
    const runId = tablesRunId(result.target, tag);
    const created = await createRun(deps.wandb, {
      entity,
      project,
      runId,
      displayName: `Tables_${result.target}`,
      jobType: TABLES_JOB_TYPE,
      tags: [tag, latest],
    });
    const run = { entity, project, run: runId };
    const files = Object.entries(tables).map(([key, table]) => [key, tableFile(key, 0, table)] as const);
    const uploaded = await uploadRunFiles(
      deps.wandb,
      run,
      files.map(([, f]) => ({ name: f.path, body: f.body })),
    );
    const row = Object.fromEntries(files.map(([key, f]) => [key, f.ref]));
    await logHistory(deps.wandb, run, [row], row);
    await finishRun(deps.wandb, run, 0, uploaded);
    published.push({ tag, runId, storageId: created.id });
    deps.log.info('calculator.published', { tag, run_id: runId, tables: files.length });
  }
  await moveLatest(result.target, config, deps);
  return published;
}

/**
 * Takes `latest` off every other run that carries it with `overall` or any company's tag (SPEC §7,
 * as the Python original did), so a company whose allocation ended leaves the dashboard's latest view.
 *
 * Per tag, the run kept is the newest by target date (the `Tables_<T>` name; `check` wants T =
 * yesterday), not simply this job's: a backfill retagging while the nightly job does would otherwise
 * take `latest` off the nightly's runs as the nightly takes it off the backfill's, leaving none
 * (test/integration/run-concurrent.test.ts). With one order every job agrees on the run to keep.
 * So a backfill ending before the newest published date leaves `latest` where it is, its own runs included.
 */
async function moveLatest(target: IsoDate, config: Config, deps: PublishTablesDeps): Promise<void> {
  const { entity, project, tag_for_latest: latest } = config.dashboard;
  const tags = new Set([OVERALL_TAG, ...config.companies.map((c) => c.company)]);
  const holders = await listRunsByTag(deps.wandb, entity, project, latest);
  const kept = new Set<string>();
  for (const tag of tags) {
    // This job's run competes even for a tag it published nothing for (a company whose allocation ended).
    const ours = tablesRunId(target, tag);
    let best = { name: ours, rank: latestRank(ours, `Tables_${target}`, tag) };
    for (const run of holders) {
      if (!(run.tags ?? []).includes(tag)) continue;
      const rank = latestRank(run.name, run.displayName, tag);
      if (compareRanks(rank, best.rank) > 0) best = { name: run.name, rank };
    }
    kept.add(best.name);
  }
  for (const run of holders) {
    if (kept.has(run.name) || !(run.tags ?? []).some((t) => tags.has(t))) continue;
    await setRunTags(
      deps.wandb,
      run.id,
      (run.tags ?? []).filter((t) => t !== latest),
    );
    deps.log.info('calculator.latest_removed', { run_id: run.name });
  }
}

/** Target date (empty when the name has none), then whether the id is the one tablesRunId gives, then the id. */
type LatestRank = readonly [target: string, isOwnId: number, name: string];

function latestRank(name: string, displayName: string | null, tag: string): LatestRank {
  const target = /^Tables_(\d{4}-\d{2}-\d{2})$/.exec(displayName ?? '')?.[1] ?? '';
  return [target, target !== '' && name === tablesRunId(target as IsoDate, tag) ? 1 : 0, name];
}

function compareRanks(a: LatestRank, b: LatestRank): number {
  return compareCodePoints(a[0], b[0]) || a[1] - b[1] || compareCodePoints(a[2], b[2]);
}
