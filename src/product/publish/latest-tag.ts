import type { Config } from '../config/types.js';
import { companiesWithNodesOn } from '../shared/calendar.js';
import { compareCodePoints } from '../shared/compare.js';
import type { IsoDate } from '../shared/dates.js';
import type { Logger } from '../shared/logger.js';
import { OVERALL_TAG } from '../shared/names.js';
import { allSettledOrThrow } from '../shared/settle.js';
import type { WandbClient } from '../wandb/client.js';
import { deterministicRunId, setRunTags } from '../wandb/run-writer.js';
import type { RunNode } from '../wandb/runs.js';

export { OVERALL_TAG };

/** Config key of a Tables run holding the dataset version its tables were computed from. */
export const DATASET_VERSION_KEY = 'dataset_version';

/**
 * Run id of a job's Tables run, derived from the target date and tag: a rerun for the same date writes
 * into the same run (upsert) instead of leaving a second one behind.
 */
export function tablesRunId(target: IsoDate, tag: string): string {
  return deterministicRunId(`Tables_${target}\u0000${tag}`);
}

/**
 * Run id of the tables for a newer date recomputed by an older job (a backfill) from dataset version
 * `version`: a run of its own, so it never overwrites tables computed from a newer version.
 */
export function recomputedRunId(target: IsoDate, tag: string, version: number): string {
  return deterministicRunId(`Tables_${target}\u0000${tag}\u0000v${version}`);
}

/** A Tables run as the retag ranks it. */
export type TablesRun = {
  readonly id: string;
  readonly name: string;
  readonly tags: readonly string[];
  /** From the `Tables_<T>` name; undefined for any other name. */
  readonly target: IsoDate | undefined;
  /** The dataset version recorded on the run; -1 when none (the Python original's runs, older ones of ours). */
  readonly version: number;
};

export function tablesRunOf(node: RunNode): TablesRun {
  return {
    id: node.id,
    name: node.name,
    tags: node.tags,
    target: /^Tables_(\d{4}-\d{2}-\d{2})$/.exec(node.displayName ?? '')?.[1] as IsoDate | undefined,
    version: recordedVersion(node.config),
  };
}

/** `dataset_version` from a run's config, wrapped as W&B stores it (`{value: n}`) or plain. */
function recordedVersion(config: unknown): number {
  if (typeof config !== 'object' || config === null) return -1;
  const entry = (config as Record<string, unknown>)[DATASET_VERSION_KEY];
  const value = typeof entry === 'object' && entry !== null ? (entry as { value?: unknown }).value : entry;
  return typeof value === 'number' && Number.isInteger(value) ? value : -1;
}

/**
 * One order every job agrees on, so concurrent retags converge: newest target date (`check` wants
 * T = yesterday), then the newest dataset version (tables that saw every committed row), then the id
 * tablesRunId gives, then the id.
 */
export function compareTablesRuns(a: TablesRun, b: TablesRun, tag: string): number {
  const isOwnId = (r: TablesRun) => (r.target !== undefined && r.name === tablesRunId(r.target, tag) ? 1 : 0);
  return (
    compareCodePoints(a.target ?? '', b.target ?? '') ||
    a.version - b.version ||
    isOwnId(a) - isOwnId(b) ||
    compareCodePoints(a.name, b.name)
  );
}

/** The newest target date among runs holding `latest` with `overall` or a company's tag. */
export function newestTarget(config: Config, holders: readonly TablesRun[]): IsoDate | undefined {
  const tags = dashboardTags(config);
  let newest: IsoDate | undefined;
  for (const run of holders) {
    if (run.target !== undefined && run.tags.some((t) => tags.has(t)) && (!newest || run.target > newest)) {
      newest = run.target;
    }
  }
  return newest;
}

function dashboardTags(config: Config): Set<string> {
  return new Set([OVERALL_TAG, ...config.companies.map((c) => c.company)]);
}

/**
 * Takes `latest` off every run that carries it with `overall` or any company's tag but is not the best
 * run of that tag by compareTablesRuns, among the holders and this job's `candidates` (its runs compete
 * even for a tag they do not carry `latest` for). A company without nodes on the newest published date
 * (of the holders and candidates) keeps no `latest` at all, whether or not this job published a run for
 * it: its allocation has ended, so `check` expects none (docs/behaviour.md §7). Every job decides on the
 * same newest date from what it lists after publishing, so concurrent jobs converge; a backfill ending
 * before the newest published date moves nothing onto its own older runs.
 */
export async function moveLatest(
  config: Config,
  holders: readonly TablesRun[],
  candidates: readonly TablesRun[],
  deps: { wandb: WandbClient; log: Logger },
): Promise<void> {
  const latest = config.dashboard.tag_for_latest;
  const tags = dashboardTags(config);
  const newest = newestTarget(config, [...candidates, ...holders]);
  const shown = new Set(newest === undefined ? [] : companiesWithNodesOn(config, newest));
  const kept = new Set<string>();
  for (const tag of tags) {
    if (tag !== OVERALL_TAG && newest !== undefined && !shown.has(tag)) continue;
    let best: TablesRun | undefined;
    for (const run of [...candidates, ...holders]) {
      if (!run.tags.includes(tag)) continue;
      if (!best || compareTablesRuns(run, best, tag) > 0) best = run;
    }
    if (best) kept.add(best.name);
  }
  // The removals are independent (each run's own tags), so they go out together within the client's bound.
  const losing = holders.filter((run) => !kept.has(run.name) && run.tags.some((t) => tags.has(t)));
  await allSettledOrThrow(
    losing.map(async (run) => {
      await setRunTags(
        deps.wandb,
        run.id,
        run.tags.filter((t) => t !== latest),
      );
      deps.log.info('calculator.latest_removed', { run_id: run.name });
    }),
  );
}
