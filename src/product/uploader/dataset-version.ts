// Reading the dataset artifact: where it lives, one version parsed, and its CSV text. The uploader
// writes versions (publish-dataset.ts); the checker and the uploader both read them through here.
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { Config } from '../config/types.js';
import { AppError } from '../shared/errors.js';
import type { RunDay } from '../shared/run-day.js';
import { readArtifactFile } from '../wandb/artifacts.js';
import type { WandbClient } from '../wandb/client.js';
import { encodeRow, outputColumns } from './csv.js';
import { readDataset } from './dataset-file.js';

/** The prior dataset exists but cannot be used: the job stops before publishing anything (exit 1). */
export class DatasetError extends AppError {
  override readonly name = 'DatasetError';
  readonly code = 'DATASET';

  constructor(
    readonly artifact: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${artifact}: ${detail}`, options);
  }
}

export type Dataset = { readonly rows: RunDay[]; readonly extras: readonly string[] };
type Version = { id: string; versionIndex: number; digest: string };
/** One committed dataset version, read and parsed. */
export type DatasetVersion = { dataset: Dataset; version: Version };

export type DatasetTarget = { entity: string; project: string; name: string; file: string };

export function datasetTarget(config: Config): DatasetTarget {
  const { entity, project, artifact_name: name } = config.dataset;
  return { entity, project, name, file: `${name}.csv` };
}

/** Reads one version (`name:latest`, `name:v3`), its dates in `zone`; undefined when no artifact exists yet. */
export async function readDatasetVersion(
  wandb: WandbClient,
  target: DatasetTarget,
  alias: string,
  zone: string,
): Promise<DatasetVersion | undefined> {
  const ref = `${target.entity}/${target.project}/${target.name}:${alias}`;
  let found: Awaited<ReturnType<typeof readArtifactFile>>;
  try {
    found = await readArtifactFile(wandb, {
      entity: target.entity,
      project: target.project,
      name: `${target.name}:${alias}`,
      file: target.file,
    });
  } catch (error) {
    throw new DatasetError(ref, 'cannot download the prior dataset', { cause: error });
  }
  if (!found) return undefined;
  const rows: RunDay[] = [];
  try {
    const { extras } = await readDataset(Readable.from([found.body]), `${ref}/${target.file}`, zone, (row) =>
      rows.push(row),
    );
    return { dataset: { rows, extras }, version: found.version };
  } catch (error) {
    throw new DatasetError(ref, `the prior dataset cannot be parsed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

export function datasetCsv(dataset: Dataset): string {
  return stringify([outputColumns(dataset.extras), ...dataset.rows.map((r) => encodeRow(r, dataset.extras))]);
}
