import {
  calendarDayAt,
  type IsoDate,
  isCalendarDateAt,
  isIsoDate,
  localDayHours,
  twoDigitsAt,
} from '../shared/dates.js';
import { CellError } from '../shared/errors.js';
import { MAX_GPU_COUNT } from '../shared/gpu-count.js';
import { CPU_COUNT_COLUMN, ORIGINAL_COLUMNS, type RunDay, USERNAME_COLUMN } from '../shared/run-day.js';
import { quote } from './text-bounds.js';

export { CellError } from '../shared/errors.js';

type OriginalColumn = (typeof ORIGINAL_COLUMNS)[number];

/** Where each known column sits in a file's header, plus the extra columns in file order. */
export type DatasetHeader = {
  readonly columns: readonly string[];
  readonly index: Readonly<Record<OriginalColumn, number>>;
  readonly cpuCountIndex: number | undefined;
  readonly usernameIndex: number | undefined;
  readonly extras: readonly { name: string; index: number }[];
  /**
   * Positions of the free-text cells. A record that decodes can hold a newline only there: every
   * other cell is a number, a date or a datetime, checked character by character.
   */
  readonly textIndexes: readonly number[];
  /** The last tags cell decoded, and its tags: tag lists repeat from row to row. */
  readonly lastTags: { text: string; tags: readonly string[] };
  /** IANA zone of the dates: a row's duration_hour cannot exceed the length of its local day. */
  readonly zone: string;
  /** Hours of the local dates met so far, by day number (see dayHours). */
  readonly dayHours: DayHoursCache;
};

const TEXT_COLUMNS = ['company_name', 'project', 'run_id', 'tags', 'state', 'host_name'] as const;

/**
 * Maps a header row; returns the missing required columns instead when there are any. `zone` is
 * the time zone of the dates (the config's), which sets how many hours a row's day has.
 */
export function readHeader(
  columns: readonly string[],
  zone: string,
): DatasetHeader | { missing: string[]; duplicate: string[] } {
  const position = new Map<string, number>();
  const duplicate: string[] = [];
  columns.forEach((name, i) => {
    if (position.has(name)) duplicate.push(name);
    position.set(name, i);
  });
  const missing = ORIGINAL_COLUMNS.filter((name) => !position.has(name));
  if (missing.length > 0 || duplicate.length > 0) return { missing, duplicate };
  const known = new Set<string>([...ORIGINAL_COLUMNS, CPU_COUNT_COLUMN, USERNAME_COLUMN]);
  const extras = columns.flatMap((name, index) => (known.has(name) ? [] : [{ name, index }]));
  return {
    columns,
    index: Object.fromEntries(
      ORIGINAL_COLUMNS.map((name) => [name, position.get(name)!]),
    ) as DatasetHeader['index'],
    cpuCountIndex: position.get(CPU_COUNT_COLUMN),
    usernameIndex: position.get(USERNAME_COLUMN),
    extras,
    textIndexes: [
      ...TEXT_COLUMNS.map((name) => position.get(name)!),
      ...(position.has(USERNAME_COLUMN) ? [position.get(USERNAME_COLUMN)!] : []),
      ...extras.map((e) => e.index),
    ],
    lastTags: { text: '', tags: NO_TAGS },
    zone,
    dayHours: { base: Number.NaN, window: NO_HOURS, others: new Map() },
  };
}

/**
 * Decodes one CSV record; throws CellError naming the column on a bad or impossible value
 * (a duration longer than its local day, a GPU count outside [0, MAX_GPU_COUNT], a percentage
 * outside [0, 100]).
 */
export function decodeRow(values: readonly string[], header: DatasetHeader): RunDay {
  const ix = header.index;
  const date = values[ix.date] ?? '';
  // Days since 1970 rather than isIsoDate: the same check, and the number the duration check needs.
  const day = date.length === 10 ? calendarDayAt(date, 0) : Number.NaN;
  if (Number.isNaN(day)) throw new CellError('date', `not a date YYYY-MM-DD: ${quote(date)}`);
  let extra: Record<string, string> = NO_EXTRA;
  if (header.extras.length > 0) {
    extra = {};
    for (const { name, index } of header.extras) extra[name] = values[index] ?? '';
  }
  const cpuCount = header.cpuCountIndex === undefined ? undefined : (values[header.cpuCountIndex] ?? '');
  return {
    date: date as IsoDate,
    company_name: required(values[ix.company_name] ?? '', 'company_name'),
    project: required(values[ix.project] ?? '', 'project'),
    run_id: required(values[ix.run_id] ?? '', 'run_id'),
    tags: decodeTagsOnce(values[ix.tags] ?? '', header.lastTags),
    created_at: decodeDateTime(values[ix.created_at] ?? '', 'created_at'),
    updated_at: decodeDateTime(values[ix.updated_at] ?? '', 'updated_at'),
    state: values[ix.state] ?? '',
    duration_hour: decodeDuration(values[ix.duration_hour] ?? '', date, day, header),
    gpu_count: decodeGpuCount(values[ix.gpu_count] ?? ''),
    average_gpu_utilization: decodePercent(
      values[ix.average_gpu_utilization] ?? '',
      'average_gpu_utilization',
    ),
    average_gpu_memory: decodePercent(values[ix.average_gpu_memory] ?? '', 'average_gpu_memory'),
    max_gpu_utilization: decodePercent(values[ix.max_gpu_utilization] ?? '', 'max_gpu_utilization'),
    max_gpu_memory: decodePercent(values[ix.max_gpu_memory] ?? '', 'max_gpu_memory'),
    host_name: values[ix.host_name] ?? '',
    logged_at: decodeDateTime(values[ix.logged_at] ?? '', 'logged_at'),
    cpu_count: cpuCount === undefined ? null : decodeInteger(cpuCount, CPU_COUNT_COLUMN),
    username: header.usernameIndex === undefined ? '' : (values[header.usernameIndex] ?? ''),
    extra,
  };
}

/** Newlines inside the free-text cells of a decoded record (quoted newlines push later records down). */
export function countTextNewlines(values: readonly string[], header: DatasetHeader): number {
  let count = 0;
  for (const index of header.textIndexes) {
    const cell = values[index] ?? '';
    for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) count++;
  }
  return count;
}

const NO_EXTRA: Readonly<Record<string, string>> = Object.freeze({});
const NO_TAGS: readonly string[] = Object.freeze([]);

function required(text: string, column: string): string {
  if (text === '') throw new CellError(column, 'must not be empty');
  return text;
}

/** Hours in [0, the length of the row's local day]: 23 or 25 on a daylight-saving change day. */
function decodeDuration(text: string, date: string, day: number, header: DatasetHeader): number {
  if (text === '') throw new CellError('duration_hour', 'must not be empty');
  const value = parseDecimal(text);
  if (!Number.isFinite(value)) throw new CellError('duration_hour', describeNotNumber(text, value));
  const hours = dayHours(date as IsoDate, day, header);
  if (value < 0 || value > hours) {
    throw new CellError(
      'duration_hour',
      `not within [0, ${hours}], the hours of ${date} in ${header.zone}: ${quote(text)}`,
    );
  }
  return value;
}

/**
 * Hours of local days by day number: an array over a window of days around the first one met
 * (a lookup per row costs next to nothing there), a map for days outside it.
 */
type DayHoursCache = { base: number; window: Float64Array; others: Map<number, number> };

/** Days in the window: about 22 years, centred on the first date read. */
const DAY_WINDOW = 8192;
const NO_HOURS = new Float64Array(0);

function dayHours(date: IsoDate, day: number, header: DatasetHeader): number {
  const cache = header.dayHours;
  if (cache.window.length === 0) {
    cache.base = day - DAY_WINDOW / 2;
    // -1: not computed yet (0 is a real length: a zone that skipped a date).
    cache.window = new Float64Array(DAY_WINDOW).fill(-1);
  }
  const slot = day - cache.base;
  if (slot >= 0 && slot < DAY_WINDOW) {
    let hours = cache.window[slot]!;
    if (hours < 0) {
      hours = localDayHours(date, header.zone);
      cache.window[slot] = hours;
    }
    return hours;
  }
  let hours = cache.others.get(day);
  if (hours === undefined) {
    hours = localDayHours(date, header.zone);
    cache.others.set(day, hours);
  }
  return hours;
}

/** Utilisation and memory are percentages of the GPU. */
const MAX_PERCENT = 100;

function decodePercent(text: string, column: string): number | null {
  const value = decodeNumber(text, column);
  if (value !== null && (value < 0 || value > MAX_PERCENT)) {
    throw new CellError(column, `not within [0, ${MAX_PERCENT}]: ${quote(text)}`);
  }
  return value;
}

/** Whole GPUs, 0 to MAX_GPU_COUNT: `1e308` is an integer to Number() but no run's count. */
function decodeGpuCount(text: string): number | null {
  const value = decodeInteger(text, 'gpu_count');
  if (value === null) return null;
  if (value < 0) throw new CellError('gpu_count', `must not be negative: ${quote(text)}`);
  if (value > MAX_GPU_COUNT) {
    throw new CellError('gpu_count', `more than the ${MAX_GPU_COUNT} GPUs a run can have: ${quote(text)}`);
  }
  return value;
}

const DATETIME = /^(\d{4}-\d{2}-\d{2})[T ]([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:\.(\d{1,9}))?$/;
const [T, COLON, DOT, PLUS, MINUS, ZERO] = ['T', ':', '.', '+', '-', '0'].map((c) => c.charCodeAt(0)) as [
  number,
  number,
  number,
  number,
  number,
  number,
];

/** Canonical local datetime with microseconds; polars writes both with and without a fraction. */
function decodeDateTime(text: string, column: string): string {
  // Fast path: our own files and polars' are already canonical, so no new string is built.
  if (text.length === 26 && isCanonicalDateTime(text)) return text;
  const m = DATETIME.exec(text);
  if (!m || !isIsoDate(m[1]!)) {
    throw new CellError(column, `not a datetime YYYY-MM-DDTHH:MM:SS[.ffffff]: ${quote(text)}`);
  }
  const fraction = (m[5] ?? '').slice(0, 6).padEnd(6, '0');
  return `${m[1]}T${m[2]}:${m[3]}:${m[4]}.${fraction}`;
}

/** 'YYYY-MM-DDTHH:MM:SS.ffffff' with a real date and time, checked by character codes (no regex). */
function isCanonicalDateTime(text: string): boolean {
  return (
    text.charCodeAt(10) === T &&
    text.charCodeAt(13) === COLON &&
    text.charCodeAt(16) === COLON &&
    text.charCodeAt(19) === DOT &&
    // NaN (a non-digit) fails each comparison.
    twoDigitsAt(text, 11) <= 23 &&
    twoDigitsAt(text, 14) <= 59 &&
    twoDigitsAt(text, 17) <= 59 &&
    twoDigitsAt(text, 20) >= 0 &&
    twoDigitsAt(text, 22) >= 0 &&
    twoDigitsAt(text, 24) >= 0 &&
    isCalendarDateAt(text, 0)
  );
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Empty cell → null; NaN (polars' spelling of a missing float) → null; anything else must be a
 * finite number (1e999 reads as Infinity, which no cell can mean).
 */
function decodeNumber(text: string, column: string): number | null {
  const value = parseDecimal(text);
  if (Number.isFinite(value)) return value;
  if (text === '' || text === 'NaN' || text === 'nan') return null;
  throw new CellError(column, describeNotNumber(text, value));
}

function describeNotNumber(text: string, value: number): string {
  return Number.isNaN(value) ? `not a number: ${quote(text)}` : `not a finite number: ${quote(text)}`;
}

/** Up to 15 digits fit a double exactly, and powers of ten up to 1e22 are exact too. */
const MAX_EXACT_DIGITS = 15;
const POWERS_OF_TEN = Array.from({ length: MAX_EXACT_DIGITS + 1 }, (_, i) => 10 ** i);

/**
 * The value of text if it matches NUMBER, else NaN; always equal to Number(text). Plain decimals of
 * up to 15 digits are read by character codes: digits / 10^fraction is then one correctly rounded
 * division of exact doubles, so it is the double Number() returns. The rest (exponents, long
 * digit strings) goes through the regex and Number().
 */
function parseDecimal(text: string): number {
  const length = text.length;
  let i = 0;
  const sign = text.charCodeAt(0);
  if (sign === PLUS || sign === MINUS) i = 1;
  let digits = 0;
  let fractionDigits = 0;
  let mantissa = 0;
  for (; i < length; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (!(digit >= 0 && digit <= 9)) break;
    mantissa = mantissa * 10 + digit;
    digits++;
  }
  if (i < length && text.charCodeAt(i) === DOT) {
    for (i++; i < length; i++) {
      const digit = text.charCodeAt(i) - ZERO;
      if (!(digit >= 0 && digit <= 9)) break;
      mantissa = mantissa * 10 + digit;
      fractionDigits++;
    }
  }
  if (i < length || digits + fractionDigits > MAX_EXACT_DIGITS)
    return NUMBER.test(text) ? Number(text) : Number.NaN;
  if (digits + fractionDigits === 0) return Number.NaN;
  const value = mantissa / POWERS_OF_TEN[fractionDigits]!;
  return sign === MINUS ? -value : value;
}

/** Empty cell → null; otherwise an integer (polars writes no NaN in an integer column). */
function decodeInteger(text: string, column: string): number | null {
  if (text === '') return null;
  const value = parseDecimal(text);
  // False for NaN and the infinities too.
  if (!Number.isInteger(value)) throw new CellError(column, `not an integer: ${quote(text)}`);
  return value;
}

function decodeTagsOnce(text: string, last: DatasetHeader['lastTags']): readonly string[] {
  if (text !== last.text) {
    // Frozen: rows share the list.
    last.tags = Object.freeze(decodeTags(text));
    last.text = text;
  }
  return last.tags;
}

function decodeTags(text: string): readonly string[] {
  if (text === '' || text === '[]') return NO_TAGS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CellError('tags', `not a JSON array of strings: ${quote(text)}`);
  }
  if (!Array.isArray(parsed) || !parsed.every((t) => typeof t === 'string')) {
    throw new CellError('tags', `not a JSON array of strings: ${quote(text)}`);
  }
  return parsed;
}

/** Tags as Python's json.dumps writes them: '["a", "b"]', non-ASCII escaped. */
function encodeTags(tags: readonly string[]): string {
  return `[${tags.map((t) => JSON.stringify(t).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)).join(', ')}]`;
}

/** Floats as polars writes them: integral values keep '.0'. */
function encodeFloat(value: number | null): string {
  if (value === null) return '';
  const text = String(value);
  return Number.isInteger(value) && !text.includes('e') ? `${text}.0` : text;
}

function encodeInt(value: number | null): string {
  return value === null ? '' : String(value);
}

/** The columns a written file has: original order, then cpu_count and username, then extras of the prior file. */
export function outputColumns(extras: readonly string[]): string[] {
  return [...ORIGINAL_COLUMNS, CPU_COUNT_COLUMN, USERNAME_COLUMN, ...extras];
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
    row.username,
    ...extras.map((name) => row.extra[name] ?? ''),
  ];
}
