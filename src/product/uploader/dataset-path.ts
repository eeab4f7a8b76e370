import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../shared/errors.js';
import type { RunDay } from '../shared/run-day.js';
import { type DatasetShape, extrasMismatch, readDatasetFile } from './dataset-file.js';

/**
 * A dataset given as a path (`tables --dataset`): one CSV file (the Python original's, or `run --out`'s
 * dataset.csv), or a folder holding the artifact as downloaded, whose `.csv` files (the month files,
 * docs/behaviour.md §14, at any depth) are read in path order. The files must agree on their extra columns.
 */
export async function readDatasetPath(
  path: string,
  zone: string,
  onRow: (row: RunDay) => void,
): Promise<DatasetShape> {
  const isFolder = await stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isFolder) return readDatasetFile(path, zone, onRow);
  const files = (await csvFilesUnder(path)).sort();
  if (files.length === 0) throw new InputError(path, 'a folder without any .csv file');
  let shape: DatasetShape | undefined;
  for (const file of files) {
    const read = await readDatasetFile(file, zone, onRow);
    const mismatch = shape && extrasMismatch(shape.extras, read.extras);
    if (mismatch) throw new InputError(file, mismatch);
    shape = { extras: read.extras, rowCount: (shape?.rowCount ?? 0) + read.rowCount };
  }
  return shape ?? { extras: [], rowCount: 0 };
}

async function csvFilesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.csv')).map((e) => join(e.parentPath, e.name));
}
