import { type IsoDate, isIsoDate } from '../shared/dates.js';
import { CPU_COUNT_COLUMN, ORIGINAL_COLUMNS, type RunDay } from '../shared/run-day.js';

/** Where each known column sits in a file's header, plus the extra columns in file order. */
export type DatasetHeader = {
  readonly columns: readonly string[];
  readonly index: Readonly<Record<(typeof ORIGINAL_COLUMNS)[number], number>>;
  readonly cpuCountIndex: number | undefined;
  readonly extras: readonly { name: string; index: number }[];
  /** Dates already validated in this file: a dataset repeats few distinct dates, so this saves most checks. */
  readonly seenDates: Set<string>;
};

/** A cell that cannot be decoded: the reader turns it into an InputError with the line. */
export class CellError extends Error {
  override readonly name = 'CellError';
  constructor(
    readonly column: string,
    detail: string,
  ) {
    super(detail);
  }
}

/** Maps a header row; returns the missing required columns instead when there are any. */
export function readHeader(
  columns: readonly string[],
): DatasetHeader | { missing: string[]; duplicate: string[] } {
  const position = new Map<string, number>();
  const duplicate: string[] = [];
  columns.forEach((name, i) => {
    if (position.has(name)) duplicate.push(name);
    position.set(name, i);
  });
  const missing = ORIGINAL_COLUMNS.filter((name) => !position.has(name));
  if (missing.length > 0 || duplicate.length > 0) return { missing, duplicate };
  const known = new Set<string>([...ORIGINAL_COLUMNS, CPU_COUNT_COLUMN]);
  return {
    columns,
    index: Object.fromEntries(
      ORIGINAL_COLUMNS.map((name) => [name, position.get(name)!]),
    ) as DatasetHeader['index'],
    cpuCountIndex: position.get(CPU_COUNT_COLUMN),
    extras: columns.flatMap((name, index) => (known.has(name) ? [] : [{ name, index }])),
    seenDates: new Set(),
  };
}

/** Decodes one CSV record; throws CellError naming the column on a bad value. */
export function decodeRow(values: readonly string[], header: DatasetHeader): RunDay {
  const at = (name: (typeof ORIGINAL_COLUMNS)[number]): string => values[header.index[name]] ?? '';
  const date = at('date');
  if (!isKnownDate(date, header.seenDates)) throw new CellError('date', `not a date YYYY-MM-DD: "${date}"`);
  let extra: Record<string, string> = NO_EXTRA;
  if (header.extras.length > 0) {
    extra = {};
    for (const { name, index } of header.extras) extra[name] = values[index] ?? '';
  }
  return {
    date,
    company_name: required(at('company_name'), 'company_name'),
    project: required(at('project'), 'project'),
    run_id: required(at('run_id'), 'run_id'),
    tags: decodeTags(at('tags')),
    created_at: decodeDateTime(at('created_at'), 'created_at', header.seenDates),
    updated_at: decodeDateTime(at('updated_at'), 'updated_at', header.seenDates),
    state: at('state'),
    duration_hour: decodeNumber(at('duration_hour'), 'duration_hour') ?? missing('duration_hour'),
    gpu_count: decodeInteger(at('gpu_count'), 'gpu_count'),
    average_gpu_utilization: decodeNumber(at('average_gpu_utilization'), 'average_gpu_utilization'),
    average_gpu_memory: decodeNumber(at('average_gpu_memory'), 'average_gpu_memory'),
    max_gpu_utilization: decodeNumber(at('max_gpu_utilization'), 'max_gpu_utilization'),
    max_gpu_memory: decodeNumber(at('max_gpu_memory'), 'max_gpu_memory'),
    host_name: at('host_name'),
    logged_at: decodeDateTime(at('logged_at'), 'logged_at', header.seenDates),
    cpu_count:
      header.cpuCountIndex === undefined
        ? null
        : decodeInteger(values[header.cpuCountIndex] ?? '', CPU_COUNT_COLUMN),
    extra,
  };
}

const NO_EXTRA: Readonly<Record<string, string>> = Object.freeze({});
const NO_TAGS: readonly string[] = Object.freeze([]);

function isKnownDate(text: string, seen: Set<string>): text is IsoDate {
  if (seen.has(text)) return true;
  if (!isIsoDate(text)) return false;
  seen.add(text);
  return true;
}

function required(text: string, column: string): string {
  if (text === '') throw new CellError(column, 'must not be empty');
  return text;
}

function missing(column: string): never {
  throw new CellError(column, 'must not be empty');
}

const CANONICAL_DATETIME = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})[T ]([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:\.(\d{1,9}))?$/;

/** Canonical local datetime with microseconds; polars writes both with and without a fraction. */
export function decodeDateTime(text: string, column: string, seenDates: Set<string> = new Set()): string {
  // Fast path: our own files and polars' are already canonical, so no new string is built.
  if (text.length === 26 && CANONICAL_DATETIME.test(text) && isKnownDate(text.slice(0, 10), seenDates))
    return text;
  const m = DATETIME.exec(text);
  if (!m || !isKnownDate(m[1]!, seenDates)) {
    throw new CellError(column, `not a datetime YYYY-MM-DDTHH:MM:SS[.ffffff]: "${text}"`);
  }
  const fraction = (m[5] ?? '').slice(0, 6).padEnd(6, '0');
  return `${m[1]}T${m[2]}:${m[3]}:${m[4]}.${fraction}`;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Empty cell → null; NaN (polars' spelling of a missing float) → null; anything else must be finite. */
export function decodeNumber(text: string, column: string): number | null {
  if (text === '' || text === 'NaN' || text === 'nan') return null;
  if (!NUMBER.test(text)) throw new CellError(column, `not a number: "${text}"`);
  return Number(text);
}

function decodeInteger(text: string, column: string): number | null {
  const value = decodeNumber(text, column);
  if (value !== null && !Number.isInteger(value)) throw new CellError(column, `not an integer: "${text}"`);
  return value;
}

export function decodeTags(text: string): readonly string[] {
  if (text === '' || text === '[]') return NO_TAGS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CellError('tags', `not a JSON array of strings: ${text}`);
  }
  if (!Array.isArray(parsed) || !parsed.every((t) => typeof t === 'string')) {
    throw new CellError('tags', `not a JSON array of strings: ${text}`);
  }
  return parsed;
}

/** Tags as Python's json.dumps writes them: '["a", "b"]', non-ASCII escaped. */
export function encodeTags(tags: readonly string[]): string {
  return `[${tags.map((t) => JSON.stringify(t).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)).join(', ')}]`;
}

/** Floats as polars writes them: integral values keep '.0'. */
export function encodeFloat(value: number | null): string {
  if (value === null) return '';
  const text = String(value);
  return Number.isInteger(value) && !text.includes('e') ? `${text}.0` : text;
}

function encodeInt(value: number | null): string {
  return value === null ? '' : String(value);
}

/** The columns a written file has: original order, then cpu_count, then extras of the prior file. */
export function outputColumns(extras: readonly string[]): string[] {
  return [...ORIGINAL_COLUMNS, CPU_COUNT_COLUMN, ...extras];
}

export function encodeRow(row: RunDay, extras: readonly string[]): string[] {
  return [
    row.date,
    row.company_name,
    row.project,
    row.run_id,
    encodeTags(row.tags),
    row.created_at,
    row.updated_at,
    row.state,
    encodeFloat(row.duration_hour),
    encodeInt(row.gpu_count),
    encodeFloat(row.average_gpu_utilization),
    encodeFloat(row.average_gpu_memory),
    encodeFloat(row.max_gpu_utilization),
    encodeFloat(row.max_gpu_memory),
    row.host_name,
    row.logged_at,
    encodeInt(row.cpu_count),
    ...extras.map((name) => row.extra[name] ?? ''),
  ];
}
