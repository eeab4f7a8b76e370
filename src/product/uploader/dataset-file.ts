import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { type Readable, pipeline as streamPipeline } from 'node:stream';
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
import { REPLACEMENT_CHARACTER, Utf8Check } from './utf8-check.js';

type DatasetShape = {
  /** Columns of the file beyond the original ones and cpu_count, in file order (e.g. run_exists). */
  readonly extras: readonly string[];
  readonly rowCount: number;
};

/**
 * Streams a dataset CSV (ours or the Python original's polars output), calling onRow for each
 * record. Any malformed or impossible record, and any byte sequence that is not UTF-8, stops the
 * read with an InputError naming the line and column: nothing is dropped or replaced silently.
 * `zone` is the time zone of the file's dates (a day there may have 23 or 25 hours).
 */
export async function readDataset(
  input: Readable,
  source: string,
  zone: string,
  onRow: (row: RunDay) => void,
): Promise<DatasetShape> {
  const utf8 = new Utf8Check();
  const parser = parse({ bom: true, skip_empty_lines: true });
  // Any stream's error reaches the loop below through the parser, which the pipeline destroys with it.
  streamPipeline(input, utf8, parser, () => {});
  let header: DatasetHeader | undefined;
  let rowCount = 0;
  // Line of the current record; csv-parse's own line info costs a tenth of the read, so count here.
  let line = 0;
  let extraLines = 0;
  // U+FFFD characters in the records read so far; counted only once the check has met one.
  const replacements = { seen: 0 };
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      line += 1 + extraLines;
      if (utf8.hasReplacement) {
        const bad = locateBadUtf8(record, replacements, utf8.badReplacement);
        if (bad) {
          const column = header === undefined ? String(bad.cell + 1) : header.columns[bad.cell];
          throw new InputError(source, 'not valid UTF-8 (bytes that encode no character)', {
            line: line + bad.lines,
            ...(column === undefined ? {} : { column }),
          });
        }
      }
      if (header === undefined) {
        extraLines = countNewlines(record);
        const mapped = readHeader(record, zone);
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
  for (const cell of record) count += newlinesBefore(cell, cell.length);
  return count;
}

function newlinesBefore(text: string, end: number): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/**
 * The cell of a record holding the first bad UTF-8 sequence of the file (decoded as U+FFFD, the
 * `bad`-th of the file's U+FFFD, counting from 0), and the newlines before it within the record.
 * Counts the record's U+FFFD into `replacements.seen` otherwise.
 */
function locateBadUtf8(
  record: readonly string[],
  replacements: { seen: number },
  bad: number | undefined,
): { cell: number; lines: number } | undefined {
  let lines = 0;
  for (let cell = 0; cell < record.length; cell++) {
    const text = record[cell] ?? '';
    for (
      let i = text.indexOf(REPLACEMENT_CHARACTER);
      i !== -1;
      i = text.indexOf(REPLACEMENT_CHARACTER, i + 1)
    ) {
      if (replacements.seen === bad) return { cell, lines: lines + newlinesBefore(text, i) };
      replacements.seen++;
    }
    lines += newlinesBefore(text, text.length);
  }
  return undefined;
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

export async function readDatasetFile(
  path: string,
  zone: string,
  onRow: (row: RunDay) => void,
): Promise<DatasetShape> {
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
  return readDataset(stream, path, zone, onRow);
}

/** Reads a whole dataset into memory (the merge needs every row); `zone` as for readDataset. */
export async function loadDatasetFile(
  path: string,
  zone: string,
): Promise<{ rows: RunDay[]; extras: readonly string[] }> {
  const rows: RunDay[] = [];
  const { extras } = await readDatasetFile(path, zone, (row) => rows.push(row));
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
