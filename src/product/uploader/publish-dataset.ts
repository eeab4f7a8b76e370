import type { Logger } from '../shared/logger.js';
import type { RunDay } from '../shared/run-day.js';
import { latestArtifactVersion, writeArtifact } from '../wandb/artifacts.js';
import type { WandbClient } from '../wandb/client.js';
import {
  type Dataset,
  DatasetError,
  type DatasetTarget,
  type DatasetVersion,
  datasetCsv,
  readDatasetVersion,
} from './dataset-version.js';
import { mergeDataset } from './merge-dataset.js';

export type PublishDatasetDeps = { wandb: WandbClient; log: Logger };
export type PublishedDataset = {
  dataset: Dataset;
  versionIndex: number | undefined;
  attempts: number;
  deduplicated: boolean;
};

const MAX_ATTEMPTS = 5;

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
): Promise<PublishedDataset> {
  let base = prior;
  let merged = merge(base?.dataset, fresh);
  // The highest version folded in besides base (see the deduplicated case below).
  let folded = -1;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const before = await latestArtifactVersion(deps.wandb, target);
    if (before && before.id !== base?.version.id) {
      deps.log.warn('uploader.latest_moved', {
        before_commit: true,
        seen: base?.version.versionIndex,
        now: before.versionIndex,
      });
      base = await readDatasetVersion(deps.wandb, target, 'latest', zone);
      merged = merge(base?.dataset, merged.rows);
      continue;
    }
    const written = await writeArtifact(deps.wandb, {
      entity: target.entity,
      project: target.project,
      runId,
      name: target.name,
      type: 'dataset',
      files: [{ name: target.file, body: datasetCsv(merged) }],
    });
    const expected = Math.max(base?.version.versionIndex ?? -1, folded) + 1;
    if (written.deduplicated && written.versionIndex !== undefined) {
      // Identical content is not committed again: the server points `latest` at the existing version,
      // back over any version a concurrent writer committed since (a run with nothing new while a
      // backfill commits), and their rows would leave `latest`. Fold such versions in and write again.
      const newer = await versionsAfter(deps, target, written.versionIndex, zone);
      if (newer.length > 0) {
        for (const theirs of newer) {
          merged = merge(theirs.dataset, merged.rows);
          folded = Math.max(folded, theirs.version.versionIndex);
        }
        deps.log.warn('uploader.latest_moved', {
          deduplicated: true,
          seen: written.versionIndex,
          now: folded,
        });
        base = await readDatasetVersion(deps.wandb, target, 'latest', zone);
        merged = merge(base?.dataset, merged.rows);
        continue;
      }
    }
    if (written.deduplicated || written.versionIndex === undefined || written.versionIndex === expected) {
      return {
        dataset: merged,
        versionIndex: written.versionIndex,
        attempts: attempt,
        deduplicated: written.deduplicated,
      };
    }
    // Someone committed between our check and our commit: fold their versions in and commit again.
    deps.log.warn('uploader.concurrent_commit', { expected, got: written.versionIndex });
    for (let v = expected; v < written.versionIndex; v++) {
      const theirs = await readDatasetVersion(deps.wandb, target, `v${v}`, zone);
      if (theirs) merged = merge(theirs.dataset, merged.rows);
    }
    base = await readDatasetVersion(deps.wandb, target, 'latest', zone);
    merged = merge(base?.dataset, merged.rows);
  }
  throw new DatasetError(
    `${target.entity}/${target.project}/${target.name}`,
    `latest kept moving; gave up after ${MAX_ATTEMPTS} attempts`,
  );
}

/** The committed versions after `index`, oldest first. */
async function versionsAfter(deps: PublishDatasetDeps, target: DatasetTarget, index: number, zone: string) {
  const found: DatasetVersion[] = [];
  for (let v = index + 1; ; v++) {
    const version = await readDatasetVersion(deps.wandb, target, `v${v}`, zone);
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
