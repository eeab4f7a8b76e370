import type { Logger } from '../shared/logger.js';
import { DATASET_JOB_TYPE } from '../shared/names.js';
import type { RunDay } from '../shared/run-day.js';
import {
  type ArtifactVersion,
  latestArtifactVersion,
  type WrittenArtifact,
  writeArtifact,
} from '../wandb/artifacts.js';
import type { WandbClient } from '../wandb/client.js';
import { createRun, finishRun, wrappedConfig } from '../wandb/run-writer.js';
import {
  DatasetError,
  type DatasetTarget,
  monthFilePath,
  type OpenedDataset,
  openDatasetVersion,
} from './dataset-version.js';
import { loadBase, type NightContext } from './load-base.js';
import { mergeDataset } from './merge-dataset.js';
import {
  buildVersion,
  byMonth,
  type LoadedBase,
  type PlannedVersion,
  versionFiles,
} from './night-version.js';

type PublishDatasetDeps = { wandb: WandbClient; log: Logger };
type PublishedDataset = {
  version: PlannedVersion;
  /** The base the committed version was merged onto (its unread months are read through it). */
  base: OpenedDataset | undefined;
  versionIndex: number | undefined;
  attempts: number;
  deduplicated: boolean;
};

const MAX_ATTEMPTS = 5;

/** What one publish needs besides the rows: where, as which run, in which zone, with what metadata, through what. */
type PublishContext = {
  target: DatasetTarget;
  runId: string;
  zone: string;
  metadata: DatasetMetadata;
  deps: PublishDatasetDeps;
  night: NightContext;
  /** Months whose rows every base is read for besides the upserted ones (T's week, for the summary). */
  wanted: ReadonlySet<string>;
};
/** The metadata every version this publish writes carries (the job's provenance, docs/behaviour.md §12). */
type DatasetMetadata = Readonly<Record<string, unknown>>;

/** Where a publish stands between attempts. */
type PublishState = {
  /** The version the merge is based on; its opened is undefined before the first version exists. */
  base: LoadedBase;
  /** Per month, the rows upserted onto the base: the fresh rows, and the months of versions folded in. */
  upserts: Map<string, readonly RunDay[]>;
  /** The version to commit: base with the upserts. */
  planned: PlannedVersion;
  /** The highest version folded in besides base (see foldNewerVersions); -1 when none. */
  folded: number;
};

/** How a commit landed. */
type CommitOutcome =
  | { kind: 'committed' }
  /** Deduplicated onto an older version while newer ones exist. */
  | { kind: 'deduplicated-behind'; seen: number; newer: readonly OpenedDataset[] }
  /** Versions from another writer landed between our check and our commit. */
  | { kind: 'concurrent'; expected: number; got: number };

/**
 * Uploader stage (docs/behaviour.md §5, §14): upsert the fresh rows into the months they fall in on
 * the latest dataset and commit a new version that keeps every other month's files. Fail closed on an
 * unreadable prior. A concurrent writer is handled on both sides: latest is checked just before
 * committing, and a version that landed between our read and our commit is merged in and committed
 * again, so neither writer's rows disappear.
 */
export async function publishDataset(
  fresh: readonly RunDay[],
  target: DatasetTarget,
  runId: string,
  deps: PublishDatasetDeps,
  /** The latest version as already loaded (the caller loads it first so an unreadable prior stops the job early). */
  prior: LoadedBase,
  options: {
    /** Time zone of the dataset's dates (the config's), for reading the versions a concurrent writer commits. */
    zone: string;
    metadata: DatasetMetadata;
    night: NightContext;
    wanted: ReadonlySet<string>;
  },
): Promise<PublishedDataset> {
  const ctx: PublishContext = { target, runId, deps, ...options };
  const upserts = byMonth(fresh);
  let state: PublishState = {
    base: prior,
    upserts,
    planned: buildVersion(prior, upserts, ctx.night),
    folded: -1,
  };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const latest = await latestArtifactVersion(deps.wandb, target);
    if (latest && latest.id !== state.base.opened?.version.id) {
      state = await rebaseMovedLatest(ctx, state, latest);
      continue;
    }
    const written = await commitPlanned(ctx, state.planned);
    const outcome = await judgeCommit(ctx, state, written);
    if (outcome.kind === 'committed') {
      return {
        version: state.planned,
        base: state.base.opened,
        versionIndex: written.versionIndex,
        attempts: attempt,
        deduplicated: written.deduplicated,
      };
    }
    state =
      outcome.kind === 'deduplicated-behind'
        ? await foldNewerVersions(ctx, state, outcome)
        : await foldConcurrentCommits(ctx, state, outcome);
  }
  throw new DatasetError(
    `${target.entity}/${target.project}/${target.name}`,
    `latest kept moving; gave up after ${MAX_ATTEMPTS} attempts`,
  );
}

/** Latest moved before our commit: start again from the new latest. */
async function rebaseMovedLatest(
  ctx: PublishContext,
  state: PublishState,
  latest: ArtifactVersion,
): Promise<PublishState> {
  ctx.deps.log.warn('uploader.latest_moved', {
    before_commit: true,
    seen: state.base.opened?.version.versionIndex,
    now: latest.versionIndex,
  });
  return rebaseOnLatest(ctx, state);
}

/**
 * Commits the planned version: a month whose bytes are unchanged is listed with the base's manifest
 * entry and neither sent nor uploaded again (docs/wandb-protocol.md §17), so a night uploads the months
 * it touched and their sums. A base in the single-file layout is migrated here, once.
 */
function commitPlanned(ctx: PublishContext, planned: PlannedVersion): Promise<WrittenArtifact> {
  const { target } = ctx;
  const { files, reused } = versionFiles(planned, target);
  return writeArtifact(ctx.deps.wandb, {
    entity: target.entity,
    project: target.project,
    runId: ctx.runId,
    name: target.name,
    type: 'dataset',
    files,
    reused,
    metadata: ctx.metadata,
  });
}

/**
 * Whether the commit is ours and on top. Identical content is not committed again: the server points
 * `latest` at the existing version, back over any version a concurrent writer committed since (a run
 * with nothing new while a backfill commits), and their rows would leave `latest`.
 */
async function judgeCommit(
  ctx: PublishContext,
  state: PublishState,
  written: WrittenArtifact,
): Promise<CommitOutcome> {
  const expected = Math.max(state.base.opened?.version.versionIndex ?? -1, state.folded) + 1;
  if (written.deduplicated && written.versionIndex !== undefined) {
    const newer = await versionsAfter(ctx, written.versionIndex);
    if (newer.length > 0) return { kind: 'deduplicated-behind', seen: written.versionIndex, newer };
  }
  if (written.deduplicated || written.versionIndex === undefined || written.versionIndex === expected) {
    return { kind: 'committed' };
  }
  return { kind: 'concurrent', expected, got: written.versionIndex };
}

/** Deduplicated behind newer versions: fold them in and write again. */
async function foldNewerVersions(
  ctx: PublishContext,
  state: PublishState,
  outcome: { seen: number; newer: readonly OpenedDataset[] },
): Promise<PublishState> {
  const folded = Math.max(state.folded, ...outcome.newer.map((v) => v.version.versionIndex));
  ctx.deps.log.warn('uploader.latest_moved', { deduplicated: true, seen: outcome.seen, now: folded });
  return rebaseOnLatest(ctx, { ...state, folded }, outcome.newer);
}

/** Someone committed between our check and our commit: fold their versions in and commit again. */
async function foldConcurrentCommits(
  ctx: PublishContext,
  state: PublishState,
  outcome: { expected: number; got: number },
): Promise<PublishState> {
  const { expected, got } = outcome;
  ctx.deps.log.warn('uploader.concurrent_commit', { expected, got });
  const theirs: OpenedDataset[] = [];
  for (let v = expected; v < got; v++) {
    const version = await open(ctx, `v${v}`);
    if (version) theirs.push(version);
  }
  return rebaseOnLatest(ctx, state, theirs);
}

/**
 * Reads latest again and plans our upserts onto it, with the months of our base and of `others` that
 * latest does not hold byte for byte folded into the upserts first (read, and merged under our rows:
 * ours win a tie), so no version's rows leave the dataset whichever order the writers commit in.
 */
async function rebaseOnLatest(
  ctx: PublishContext,
  state: PublishState,
  others: readonly OpenedDataset[] = [],
): Promise<PublishState> {
  const latest = await open(ctx, 'latest');
  let { upserts } = state;
  for (const version of [state.base.opened, ...others]) {
    if (version && version.version.id !== latest?.version.id)
      upserts = await foldVersion(ctx, latest, upserts, version);
  }
  const base = await loadBase(latest, wantedMonths(ctx, upserts), ctx.night);
  return { ...state, base, upserts, planned: buildVersion(base, upserts, ctx.night) };
}

/** `theirs`' months whose files `latest` does not hold unchanged, merged under the upserts. */
async function foldVersion(
  ctx: PublishContext,
  latest: OpenedDataset | undefined,
  upserts: ReadonlyMap<string, readonly RunDay[]>,
  theirs: OpenedDataset,
): Promise<Map<string, readonly RunDay[]>> {
  const held = new Set((latest?.entries ?? []).map((e) => `${e.path}\u0000${e.digest}`));
  const months = theirs.months?.filter((m) => {
    const entry = theirs.entries.find((e) => e.path === monthFilePath(ctx.target, m));
    return entry === undefined || !held.has(`${entry.path}\u0000${entry.digest}`);
  });
  const folded = new Map(upserts);
  if (months?.length === 0) return folded;
  const read = await theirs.read(months);
  for (const [month, rows] of byMonth(read.rows)) {
    folded.set(month, mergeDataset(rows, read.extras, folded.get(month) ?? []).rows);
  }
  return folded;
}

function wantedMonths(ctx: PublishContext, upserts: ReadonlyMap<string, unknown>): Set<string> {
  return new Set([...ctx.wanted, ...upserts.keys()]);
}

function open(ctx: PublishContext, alias: string): Promise<OpenedDataset | undefined> {
  return openDatasetVersion(ctx.deps.wandb, ctx.target, alias, ctx.zone);
}

/** The committed versions after `index`, oldest first. */
async function versionsAfter(ctx: PublishContext, index: number): Promise<OpenedDataset[]> {
  const found: OpenedDataset[] = [];
  for (let v = index + 1; ; v++) {
    const version = await open(ctx, `v${v}`);
    if (!version) return found;
    found.push(version);
  }
}

/**
 * The night's dataset version as the Python original logs it: an `Update_<T>` run (job type
 * `upload-dataset`, the job's provenance in its config) that commits the version and then ends.
 */
export async function uploadNightDataset(
  fresh: readonly RunDay[],
  target: DatasetTarget,
  run: { readonly runId: string; readonly displayName: string; readonly config: Record<string, unknown> },
  deps: PublishDatasetDeps,
  prior: LoadedBase,
  options: Parameters<typeof publishDataset>[5],
): Promise<PublishedDataset> {
  await createRun(deps.wandb, {
    entity: target.entity,
    project: target.project,
    runId: run.runId,
    displayName: run.displayName,
    jobType: DATASET_JOB_TYPE,
    tags: [],
    config: wrappedConfig(run.config),
  });
  const published = await publishDataset(fresh, target, run.runId, deps, prior, options);
  await finishRun(deps.wandb, { entity: target.entity, project: target.project, run: run.runId }, 0);
  return published;
}
