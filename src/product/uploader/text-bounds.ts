// How large a dataset cell, record and line may be, and what else the text of a cell may not hold
// (docs/behaviour.md §5). The file itself has no bound: it grows by a night's rows every night. What
// must not grow without end is what the reader holds at once, so one cell, one record and one line are
// bounded, and the reader stops at the first that is larger, naming its line and column.

/**
 * Characters (UTF-16 code units) in one cell. The longest cells are free text from W&B: team, project,
 * run and host names are short identifiers, and a run's tags cell (a JSON list) holds some words or
 * labels. 64 Ki is hundreds of times more than any of them, and small enough that a row costs at most a
 * few megabytes however hostile its cells are. The tracker skips a run whose text would not fit.
 */
export const MAX_CELL_CHARS = 64 * 1024;

/**
 * Characters in the cells of one record, as csv-parse's `max_record_size` counts them (the cells read
 * so far plus the bytes of the one being read). A row of ours is about 300 bytes; 1 MiB is sixteen
 * cells at MAX_CELL_CHARS, and csv-parse stops a record there, before reading the rest of it.
 */
export const MAX_RECORD_BYTES = 1024 * 1024;

/**
 * Bytes in one line of the file: a record's cells at MAX_RECORD_BYTES plus a cell's worth of room for
 * its delimiters and quotes (csv-parse counts neither; a row of ours has about 60). A line with a huge
 * cell therefore reaches csv-parse's bound first, which names the cell; a longer line that has not is
 * mostly delimiters or quotes (a million empty cells, which csv-parse would go on collecting).
 */
export const MAX_LINE_BYTES = MAX_RECORD_BYTES + MAX_CELL_CHARS;

/** A cell quoted in an error message is cut to this many characters: the message names it, not all of it. */
const MAX_QUOTED_CHARS = 100;
/** csv-parse's messages quote the cell being read: cut to this many characters. */
const MAX_PARSER_MESSAGE_CHARS = 300;

const NEWLINE = 0x0a;
const NUL = '\u0000';

/** Follows the lines of a byte stream chunk by chunk, to find the first one longer than MAX_LINE_BYTES. */
export class LineBound {
  /** Bytes of the current line in the chunks already checked (none of them a newline). */
  private lineBytes = 0;

  /**
   * Where in `chunk` the current line grows past MAX_LINE_BYTES (the index of its first byte too many),
   * or -1 when every line of the chunk fits. One backward search per MAX_LINE_BYTES of input, so the
   * check costs nothing next to parsing.
   */
  overflowIn(chunk: Buffer): number {
    const length = chunk.length;
    // Index of the current line's first byte: negative while that line began in an earlier chunk.
    let lineStart = -this.lineBytes;
    while (lineStart + MAX_LINE_BYTES < length) {
      const newline = chunk.lastIndexOf(NEWLINE, lineStart + MAX_LINE_BYTES);
      if (newline === -1 || newline < lineStart) return lineStart + MAX_LINE_BYTES;
      lineStart = newline + 1;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    this.lineBytes = last !== -1 && last >= lineStart ? length - last - 1 : length - lineStart;
    return -1;
  }
}

/** A cell of a record that no dataset holds, and the newlines before it within the record. */
export type CellFlaw = { readonly cell: number; readonly lines: number; readonly detail: string };

/**
 * The first cell longer than MAX_CELL_CHARS or, when `hasNul` (a NUL byte has reached the parser), the
 * first holding a NUL: CSV text never does. One length comparison per cell otherwise.
 */
export function findCellFlaw(record: readonly string[], hasNul: boolean): CellFlaw | undefined {
  for (let cell = 0; cell < record.length; cell++) {
    const text = record[cell]!;
    if (text.length > MAX_CELL_CHARS) {
      const detail = `a cell of ${text.length} characters, longer than the ${MAX_CELL_CHARS} a cell may hold`;
      return { cell, lines: newlinesIn(record, cell, 0), detail };
    }
    const nul = hasNul ? text.indexOf(NUL) : -1;
    if (nul !== -1) {
      return { cell, lines: newlinesIn(record, cell, nul), detail: 'a NUL byte, which CSV text never holds' };
    }
  }
  return undefined;
}

/** Newlines in the cells before `cell`, and in that cell before index `end`. */
function newlinesIn(record: readonly string[], cell: number, end: number): number {
  let count = 0;
  for (let i = 0; i <= cell; i++) {
    const text = record[i]!;
    const stop = i === cell ? end : text.length;
    for (let at = text.indexOf('\n'); at !== -1 && at < stop; at = text.indexOf('\n', at + 1)) count++;
  }
  return count;
}

/** `"text"`, cut to MAX_QUOTED_CHARS with its length given when longer. */
export function quote(text: string): string {
  if (text.length <= MAX_QUOTED_CHARS) return `"${text}"`;
  return `"${text.slice(0, MAX_QUOTED_CHARS)}…" (${text.length} characters)`;
}

/** A csv-parse message, cut to MAX_PARSER_MESSAGE_CHARS. */
export function cutMessage(message: string): string {
  return message.length <= MAX_PARSER_MESSAGE_CHARS
    ? message
    : `${message.slice(0, MAX_PARSER_MESSAGE_CHARS)}…`;
}
