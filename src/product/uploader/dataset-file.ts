import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { type Readable, pipeline as streamPipeline, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
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
import {
  cutMessage,
  findCellFlaw,
  LineBound,
  MAX_CELL_CHARS,
  MAX_LINE_BYTES,
  MAX_RECORD_BYTES,
} from './text-bounds.js';
import { REPLACEMENT_CHARACTER, Utf8Check } from './utf8-check.js';

export type DatasetShape = {
  /** Columns of the file beyond the original ones and cpu_count, in file order (e.g. run_exists). */
  readonly extras: readonly string[];
  readonly rowCount: number;
};

/**
 * Streams a dataset CSV (ours or the Python original's polars output), calling onRow for each
 * record. Any malformed or impossible record, any byte sequence that is not UTF-8, a NUL byte, and a
 * cell, record or line past its bound (text-bounds.ts) stops the read with an InputError naming the
 * line and column: nothing is dropped or replaced silently, and no more than a bounded part of the
 * input is held. `zone` is the time zone of the file's dates (a day there may have 23 or 25 hours).
 */
export async function readDataset(
  input: Readable,
  source: string,
  zone: string,
  onRow: (row: RunDay) => void,
): Promise<DatasetShape> {
  const utf8 = new Utf8Check();
  const lines = new LineCheck();
  const parser = parse({ bom: true, skip_empty_lines: true, max_record_size: MAX_RECORD_BYTES });
  // Any stream's error reaches the loop below through the parser, which the pipeline destroys with it.
  streamPipeline(input, utf8, lines, parser, () => {});
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
          throw new InputError(source, 'not valid UTF-8 (bytes that encode no character)', {
            line: line + bad.lines,
            ...columnAt(header?.columns, bad.cell),
          });
        }
      }
      const flaw = findCellFlaw(record, lines.hasNul);
      if (flaw) {
        throw new InputError(source, flaw.detail, {
          line: line + flaw.lines,
          ...columnAt(header?.columns, flaw.cell),
        });
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
      if (lines.isCutAt(error)) throw lineTooLong(source, parser.info.lines);
      // csv-parse may stop before the loop has taken the header record: then its names come from the line.
      throw fromCsvError(error, source, header?.columns ?? headerOf(lines.firstLine), lines.hasNul);
    }
    throw error;
  } finally {
    // The input may go on past a cut (/dev/zero never ends): nothing more of it is read.
    input.destroy();
  }
  if (lines.isCut) throw lineTooLong(source, parser.info.lines);
  if (header === undefined) throw new InputError(source, 'empty file: no header row');
  return { extras: header.extras.map((e) => e.name), rowCount };
}

/**
 * Passes bytes on until a line grows past MAX_LINE_BYTES; there it ends its output, so csv-parse stops
 * at its own bound or at the cut, and drops the rest (the reader then destroys the input). Notes
 * whether a NUL byte went by, so the reader looks for one in the cells only then.
 */
class LineCheck extends Transform {
  /** True once a NUL byte has been passed on. */
  hasNul = false;
  /** The first line, once it has ended (bounded by the cut). */
  firstLine: Buffer | undefined;
  /** Offset in the input of the line longer than MAX_LINE_BYTES, once the output has ended in it. */
  private cutLineStart: number | undefined;
  private passed = 0;
  private head: Buffer[] = [];
  private readonly bound = new LineBound();

  get isCut(): boolean {
    return this.cutLineStart !== undefined;
  }

  /**
   * Whether csv-parse stopped at the cut rather than at a fault of the text: at the end it met there
   * (an open quote, a record cut short), or within the long line. Its own record bound is a fault.
   */
  isCutAt(error: CsvError): boolean {
    if (this.cutLineStart === undefined || error.code === 'CSV_MAX_RECORD_SIZE') return false;
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') return true;
    // csv-parse's offset of the last cell or record it ended.
    const { bytes } = error as CsvError & { bytes?: number };
    return bytes !== undefined && bytes > this.cutLineStart;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.isCut) {
      done();
      return;
    }
    const overflow = this.bound.overflowIn(chunk);
    const passed = overflow === -1 ? chunk : chunk.subarray(0, overflow);
    if (!this.hasNul && passed.indexOf(0) !== -1) this.hasNul = true;
    if (this.firstLine === undefined) this.keepFirstLine(passed);
    this.passed += passed.length;
    if (overflow !== -1) {
      this.cutLineStart = this.passed - MAX_LINE_BYTES;
      this.push(passed);
      this.push(null);
    }
    done(null, overflow === -1 ? chunk : undefined);
  }

  private keepFirstLine(chunk: Buffer): void {
    const end = chunk.indexOf(NEWLINE);
    this.head.push(end === -1 ? chunk : chunk.subarray(0, end));
    if (end === -1) return;
    this.firstLine = Buffer.concat(this.head);
    this.head = [];
  }
}

const NEWLINE = 0x0a;

/** The cells of a header line, or undefined when it is not one whole CSV record (a quoted newline). */
function headerOf(line: Buffer | undefined): readonly string[] | undefined {
  if (line === undefined) return undefined;
  try {
    return (parseSync(line, { bom: true }) as string[][])[0];
  } catch {
    // The position names the column instead.
    return undefined;
  }
}

function lineTooLong(source: string, line: number): InputError {
  return new InputError(source, `a line longer than ${MAX_LINE_BYTES} bytes: read stopped there`, { line });
}

/** The column of a record's cell: its header name, or its position (from 1) before the header is read. */
function columnAt(columns: readonly string[] | undefined, cell: number): { column?: string } {
  const column = columns === undefined ? String(cell + 1) : columns[cell];
  return column === undefined ? {} : { column };
}

function fromCsvError(
  error: CsvError,
  source: string,
  columns: readonly string[] | undefined,
  hasNul: boolean,
): InputError {
  const { lines, column } = error as CsvError & { lines?: number; column?: unknown };
  const line = lines === undefined ? {} : { line: lines };
  if (error.code !== 'CSV_MAX_RECORD_SIZE') {
    return new InputError(source, describeCsvError(error), line, { cause: error });
  }
  const detail =
    `${hasNul ? 'not CSV text (NUL bytes), and ' : ''}a record longer than ${MAX_RECORD_BYTES} bytes ` +
    `(a cell holds at most ${MAX_CELL_CHARS} characters): read stopped there`;
  const at = typeof column === 'number' ? columnAt(line.line === 1 ? undefined : columns, column) : {};
  return new InputError(source, detail, { ...line, ...at }, { cause: error });
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
  const message = cutMessage(error.message);
  if (error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') return `wrong number of columns (${message})`;
  return message;
}

/**
 * Why a dataset's next file cannot join the ones read before it: its extra columns differ (a dataset's
 * files share one header, docs/behaviour.md §14); undefined when they agree.
 */
export function extrasMismatch(before: readonly string[], next: readonly string[]): string | undefined {
  if (before.join('\u0000') === next.join('\u0000')) return undefined;
  return `its extra columns (${next.join(', ') || 'none'}) differ from the other files' (${before.join(', ') || 'none'})`;
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
