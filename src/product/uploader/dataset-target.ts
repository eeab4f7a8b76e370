// Where the dataset lives and how its files are named and written: the pure part of the uploader's
// dataset handling (reading and writing versions is in dataset-version.ts and publish-dataset.ts).
import { stringify } from 'csv-stringify/sync';
import type { Config } from '../config/types.js';
import { AppError } from '../shared/errors.js';
import type { RunDay } from '../shared/run-day.js';
import { encodeRow, outputColumns } from './csv.js';

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

/**
 * Where the dataset lives: the artifact, the Python original's single file (`<name>.csv`, still read),
 * and the folder of month files this product writes (`<name>/<YYYY-MM>.csv`, docs/behaviour.md §14).
 */
export type DatasetTarget = {
  entity: string;
  project: string;
  name: string;
  file: string;
  folder: string;
  /** Where each month's sums file lives (`<name>.sums/<YYYY-MM>.json`, docs/behaviour.md §14). */
  sumsFolder: string;
};

export function datasetTarget(config: Config): DatasetTarget {
  const { entity, project, artifact_name: name } = config.dataset;
  return { entity, project, name, file: `${name}.csv`, folder: name, sumsFolder: `${name}.sums` };
}

export const monthFilePath = (target: DatasetTarget, month: string) => `${target.folder}/${month}.csv`;
export const sumsFilePath = (target: DatasetTarget, month: string) => `${target.sumsFolder}/${month}.json`;

/** A dataset's rows as CSV text, with the header of every column (`--out dataset.csv`, a month file). */
export function csvText(extras: readonly string[], rows: readonly RunDay[]): string {
  return stringify([outputColumns(extras), ...rows.map((r) => encodeRow(r, extras))]);
}
