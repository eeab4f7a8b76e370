// Reading the dataset artifact: one version opened by its manifest, its months parsed. The uploader
// writes versions (publish-dataset.ts); the checker and the uploader both read them through here.
import { Readable } from 'node:stream';
import type { ManifestEntry } from '../shared/artifact-manifest.js';
import type { RunDay } from '../shared/run-day.js';
import { type OpenedArtifact, openArtifact } from '../wandb/artifacts.js';
import type { WandbClient } from '../wandb/client.js';
import { extrasMismatch, readDataset } from './dataset-file.js';
import { csvText, DatasetError, type DatasetTarget } from './dataset-target.js';
import { compareDatasetOrder } from './merge-dataset.js';

export {
  csvText,
  DatasetError,
  type DatasetTarget,
  datasetTarget,
  monthFilePath,
  sumsFilePath,
} from './dataset-target.js';

export type Dataset = { readonly rows: RunDay[]; readonly extras: readonly string[] };
type Version = { id: string; versionIndex: number; digest: string };
/** One committed dataset version, read and parsed, with its manifest's entries (kept files are reused). */
export type DatasetVersion = { dataset: Dataset; version: Version; entries: readonly ManifestEntry[] };

/** The month files of a version (`<folder>/YYYY-MM.csv`), in path order. */
function monthFiles(target: DatasetTarget, entries: readonly ManifestEntry[]): string[] {
  const prefix = `${target.folder}/`;
  return entries
    .map((e) => e.path)
    .filter((path) => path.startsWith(prefix) && MONTH_FILE.test(path.slice(prefix.length)));
}

const MONTH_FILE = /^\d{4}-\d{2}\.csv$/;

/** A dataset version opened by its manifest, before any of its rows are read. */
export type OpenedDataset = {
  readonly version: Version;
  readonly entries: readonly ManifestEntry[];
  /** Its months (`YYYY-MM`, ascending); undefined for the single-file layout, which is read whole. */
  readonly months: readonly string[] | undefined;
  /** The rows of these months (every row for the single-file layout), in the dataset's order. */
  read(months?: readonly string[]): Promise<Dataset>;
  /**
   * Each row of these months (every row for the single-file layout) to `visit` as it is parsed, in file
   * order, none kept: the months' files in path order, each file's rows in the dataset's order.
   */
  scan(months: readonly string[], visit: (row: RunDay) => void): Promise<{ extras: readonly string[] }>;
  /** The text of one of its files, undefined when the version has no file at that path. */
  readText(path: string): Promise<string | undefined>;
};

/**
 * Opens one version (`name:latest`, `name:v3`), its dates in `zone`; undefined when no artifact exists yet.
 * A version holds month files (ours) or the one file of the Python original's layout, which still loads.
 */
export async function openDatasetVersion(
  wandb: WandbClient,
  target: DatasetTarget,
  alias: string,
  zone: string,
): Promise<OpenedDataset | undefined> {
  const ref = `${target.entity}/${target.project}/${target.name}:${alias}`;
  let opened: OpenedArtifact | undefined;
  try {
    opened = await openArtifact(wandb, {
      entity: target.entity,
      project: target.project,
      name: `${target.name}:${alias}`,
    });
  } catch (error) {
    throw new DatasetError(ref, 'cannot download the prior dataset', { cause: error });
  }
  if (!opened) return undefined;
  const artifact = opened;
  const monthPaths = monthFiles(target, artifact.entries);
  if (monthPaths.length === 0 && !artifact.entries.some((e) => e.path === target.file)) {
    throw new DatasetError(
      ref,
      `the prior dataset holds neither ${target.file} nor ${target.folder}/<YYYY-MM>.csv files`,
    );
  }
  const monthOf = (path: string) => path.slice(target.folder.length + 1, -'.csv'.length);
  const months = monthPaths.length > 0 ? monthPaths.map(monthOf) : undefined;
  /** The files holding these months; the single file whatever they are. */
  const filesOf = (wanted: readonly string[]) =>
    months === undefined ? [target.file] : monthPaths.filter((p) => wanted.includes(monthOf(p)));
  return {
    version: artifact.version,
    entries: artifact.entries,
    months,
    read: (wanted = months ?? []) => readFiles(artifact, filesOf(wanted), ref, zone),
    scan: (wanted, visit) => scanFiles(artifact, filesOf(wanted), ref, zone, visit),
    readText: async (path) =>
      artifact.entries.some((e) => e.path === path)
        ? (await readBody(artifact, path, ref)).toString('utf8')
        : undefined,
  };
}

/** Reads a whole version: every row; undefined when no artifact exists yet. */
export async function readDatasetVersion(
  wandb: WandbClient,
  target: DatasetTarget,
  alias: string,
  zone: string,
): Promise<DatasetVersion | undefined> {
  const opened = await openDatasetVersion(wandb, target, alias, zone);
  if (!opened) return undefined;
  return { dataset: await opened.read(), version: opened.version, entries: opened.entries };
}

async function readFiles(
  artifact: OpenedArtifact,
  files: readonly string[],
  ref: string,
  zone: string,
): Promise<Dataset> {
  const rows: RunDay[] = [];
  const { extras } = await scanFiles(artifact, files, ref, zone, (row) => rows.push(row));
  // Month by month, the rows come back in the order one file of them all would have held.
  if (files.length > 1) rows.sort(compareDatasetOrder);
  return { rows, extras };
}

async function scanFiles(
  artifact: OpenedArtifact,
  files: readonly string[],
  ref: string,
  zone: string,
  visit: (row: RunDay) => void,
): Promise<{ extras: readonly string[] }> {
  let extras: readonly string[] | undefined;
  for (const file of files) {
    const body = await readBody(artifact, file, ref);
    try {
      const shape = await readDataset(Readable.from([body]), `${ref}/${file}`, zone, visit);
      const mismatch = extras && extrasMismatch(extras, shape.extras);
      if (mismatch) throw new Error(mismatch);
      extras = shape.extras;
    } catch (error) {
      throw new DatasetError(ref, `the prior dataset cannot be parsed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  return { extras: extras ?? [] };
}

async function readBody(opened: OpenedArtifact, file: string, ref: string): Promise<Buffer> {
  try {
    return await opened.read(file);
  } catch (error) {
    throw new DatasetError(ref, 'cannot download the prior dataset', { cause: error });
  }
}

/** The whole dataset as one CSV text (`--out dataset.csv`, `tables`' input). */
export function datasetCsv(dataset: Dataset): string {
  return csvText(dataset.extras, dataset.rows);
}
