import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { InputError } from '../shared/errors.js';
import type { RunDay } from '../shared/run-day.js';
import {
  CellError,
  countTextNewlines,
  type DatasetHeader,
  decodeRow,
  encodeRow,
  outputColumns,
  readHeader,
} from './csv.js';

export type DatasetShape = {
  /** Columns of the file beyond the original ones and cpu_count, in file order (e.g. run_exists). */
  readonly extras: readonly string[];
  readonly rowCount: number;
};

/**
 * Streams a dataset CSV (ours or the Python original's polars output), calling onRow for each
 * record. Any malformed record stops the read with an InputError naming the line and column:
 * nothing is dropped silently.
 */
export async function readDataset(
  input: Readable,
  source: string,
  onRow: (row: RunDay) => void,
): Promise<DatasetShape> {
  const parser = input.pipe(parse({ bom: true, skip_empty_lines: true }));
  let header: DatasetHeader | undefined;
  let rowCount = 0;
  // Line of the current record; csv-parse's own line info costs a tenth of the read, so count here.
  let line = 0;
  let extraLines = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      line += 1 + extraLines;
      if (header === undefined) {
        extraLines = countNewlines(record);
        const mapped = readHeader(record);
        if ('missing' in mapped) throw new InputError(source, describeBadHeader(mapped), { line: 1 });
        header = mapped;
        continue;
      }
      let row: RunDay;
      try {
        row = decodeRow(record, header);
      } catch (error) {
        if (error instanceof CellError) {
          throw new InputError(source, error.message, { line, column: error.column }, { cause: error });
        }
        throw error;
      }
      // Only needed for the line of a later record, and only free text can hold a newline once decoded.
      extraLines = countTextNewlines(record, header);
      onRow(row);
      rowCount++;
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new InputError(source, describeCsvError(error), line === undefined ? {} : { line }, {
        cause: error,
      });
    }
    throw error;
  }
  if (header === undefined) throw new InputError(source, 'empty file: no header row');
  return { extras: header.extras.map((e) => e.name), rowCount };
}

/** Newlines inside quoted cells push later records down; they are rare, so this check is cheap. */
function countNewlines(record: readonly string[]): number {
  let count = 0;
  for (const cell of record) {
    for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) count++;
  }
  return count;
}

function describeBadHeader(bad: { missing: string[]; duplicate: string[] }): string {
  const problems = [
    bad.missing.length ? `missing column${bad.missing.length > 1 ? 's' : ''} ${bad.missing.join(', ')}` : '',
    bad.duplicate.length ? `repeated column ${bad.duplicate.join(', ')}` : '',
  ];
  return `not a dataset file: ${problems.filter(Boolean).join('; ')}`;
}

function describeCsvError(error: CsvError): string {
  if (error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH')
    return `wrong number of columns (${error.message})`;
  return error.message;
}

export async function readDatasetFile(path: string, onRow: (row: RunDay) => void): Promise<DatasetShape> {
  const stream = createReadStream(path);
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (error) {
    throw new InputError(
      path,
      `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      {},
      { cause: error },
    );
  }
  return readDataset(stream, path, onRow);
}

/** Reads a whole dataset into memory (the merge needs every row). */
export async function loadDatasetFile(path: string): Promise<{ rows: RunDay[]; extras: readonly string[] }> {
  const rows: RunDay[] = [];
  const { extras } = await readDatasetFile(path, (row) => rows.push(row));
  return { rows, extras };
}

/** Writes rows atomically (temp file, then rename), so a crash never leaves half a dataset. */
export async function writeDatasetFile(
  path: string,
  rows: Iterable<RunDay>,
  extras: readonly string[],
): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  const stringifier = stringify({ header: true, columns: outputColumns(extras), eof: true });
  const source = (async function* () {
    for (const row of rows) yield encodeRow(row, extras);
  })();
  try {
    await pipeline(source, stringifier, createWriteStream(temp));
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
