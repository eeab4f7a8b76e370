import type { ManifestEntry } from '../shared/artifact-manifest.js';
import { md5Base64 } from '../shared/hash.js';
import type { Logger } from '../shared/logger.js';
import type { RunDay } from '../shared/run-day.js';
import {
  type ArtifactVersion,
  latestArtifactVersion,
  type WrittenArtifact,
  writeArtifact,
} from '../wandb/artifacts.js';
import type { WandbClient } from '../wandb/client.js';
import {
  type Dataset,
  DatasetError,
  type DatasetTarget,
  type DatasetVersion,
  datasetMonthFiles,
  readDatasetVersion,
} from './dataset-version.js';
import { mergeDataset } from './merge-dataset.js';

type PublishDatasetDeps = { wandb: WandbClient; log: Logger };
type PublishedDataset = {
  dataset: Dataset;
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
};
/** The metadata every version this publish writes carries (the job's provenance, docs/behaviour.md §12). */
type DatasetMetadata = Readonly<Record<string, unknown>>;

/** Where a publish stands between attempts. */
type PublishState = {
  /** The version the merge is based on; undefined before the first version exists. */
  base: DatasetVersion | undefined;
  /** The rows to commit: base, every version folded in, and the fresh rows. */
  merged: Dataset;
  /** The highest version folded in besides base (see foldNewerVersions); -1 when none. */
  folded: number;
};

/** How a commit landed. */
type CommitOutcome =
  | { kind: 'committed' }
  /** Deduplicated onto an older version while newer ones exist. */
  | { kind: 'deduplicated-behind'; seen: number; newer: readonly DatasetVersion[] }
  /** Versions from another writer landed between our check and our commit. */
  | { kind: 'concurrent'; expected: number; got: number };

/**
 * Uploader stage (docs/behaviour.md §5): merge the fresh rows onto the latest dataset and commit a new
 * version. Fail closed on an unreadable prior. A concurrent writer is handled on both sides:
 * latest is checked just before committing, and a version that landed between our read and
 * our commit is merged in and committed again, so neither writer's rows disappear.
 */
export async function publishDataset(
  fresh: readonly RunDay[],
  target: DatasetTarget,
  runId: string,
  deps: PublishDatasetDeps,
  /** The latest version as already read (the caller reads it first so an unreadable prior stops the job early). */
  prior: DatasetVersion | undefined,
  /** Time zone of the dataset's dates (the config's), for reading the versions a concurrent writer commits. */
  zone: string,
  metadata: DatasetMetadata,
): Promise<PublishedDataset> {
  const ctx: PublishContext = { target, runId, zone, metadata, deps };
  let state: PublishState = { base: prior, merged: merge(prior?.dataset, fresh), folded: -1 };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const latest = await latestArtifactVersion(deps.wandb, target);
    if (latest && latest.id !== state.base?.version.id) {
      state = await rebaseMovedLatest(ctx, state, latest);
      continue;
    }
    const written = await commitMerged(ctx, state.merged, state.base?.entries ?? []);
    const outcome = await judgeCommit(ctx, state, written);
    if (outcome.kind === 'committed') {
      return {
        dataset: state.merged,
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
    seen: state.base?.version.versionIndex,
    now: latest.versionIndex,
  });
  return rebaseOnLatest(ctx, state);
}

/**
 * Commits the merged dataset as month files on top of `base`'s: a month whose bytes are unchanged is
 * listed with the base's manifest entry and neither sent nor uploaded again (docs/wandb-protocol.md §17),
 * so a night uploads the months it touched. A base in the single-file layout is migrated here, once.
 */
async function commitMerged(
  ctx: PublishContext,
  merged: Dataset,
  base: readonly ManifestEntry[],
): Promise<WrittenArtifact> {
  const { target } = ctx;
  const kept = new Map(base.map((e) => [e.path, e]));
  const files: { name: string; body: string }[] = [];
  const reused: ManifestEntry[] = [];
  for (const file of datasetMonthFiles(merged, target)) {
    const same = kept.get(file.name);
    if (same?.birthArtifactID !== undefined && same.digest === md5Base64(file.body)) reused.push(same);
    else files.push(file);
  }
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
  const expected = Math.max(state.base?.version.versionIndex ?? -1, state.folded) + 1;
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
  outcome: { seen: number; newer: readonly DatasetVersion[] },
): Promise<PublishState> {
  let { merged, folded } = state;
  for (const theirs of outcome.newer) {
    merged = merge(theirs.dataset, merged.rows);
    folded = Math.max(folded, theirs.version.versionIndex);
  }
  ctx.deps.log.warn('uploader.latest_moved', { deduplicated: true, seen: outcome.seen, now: folded });
  return rebaseOnLatest(ctx, { ...state, merged, folded });
}

/** Someone committed between our check and our commit: fold their versions in and commit again. */
async function foldConcurrentCommits(
  ctx: PublishContext,
  state: PublishState,
  outcome: { expected: number; got: number },
): Promise<PublishState> {
  const { expected, got } = outcome;
  ctx.deps.log.warn('uploader.concurrent_commit', { expected, got });
  let { merged } = state;
  for (let v = expected; v < got; v++) {
    const theirs = await readDatasetVersion(ctx.deps.wandb, ctx.target, `v${v}`, ctx.zone);
    if (theirs) merged = merge(theirs.dataset, merged.rows);
  }
  return rebaseOnLatest(ctx, { ...state, merged });
}

/** Reads latest again and merges what we hold onto it. */
async function rebaseOnLatest(ctx: PublishContext, state: PublishState): Promise<PublishState> {
  const base = await readDatasetVersion(ctx.deps.wandb, ctx.target, 'latest', ctx.zone);
  return { ...state, base, merged: merge(base?.dataset, state.merged.rows) };
}

/** The committed versions after `index`, oldest first. */
async function versionsAfter(ctx: PublishContext, index: number): Promise<DatasetVersion[]> {
  const found: DatasetVersion[] = [];
  for (let v = index + 1; ; v++) {
    const version = await readDatasetVersion(ctx.deps.wandb, ctx.target, `v${v}`, ctx.zone);
    if (!version) return found;
    found.push(version);
  }
}

function merge(prior: Dataset | undefined, rows: readonly RunDay[]): Dataset {
  const result = mergeDataset(prior?.rows ?? [], prior?.extras ?? [], rows);
  if (prior && result.rows.length < prior.rows.length) {
    throw new DatasetError(
      'merge',
      `merged dataset (${result.rows.length} rows) is smaller than the prior (${prior.rows.length})`,
    );
  }
  return { rows: result.rows, extras: result.extras };
}
