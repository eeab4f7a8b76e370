// The dataset's cell decoders, tuned for speed (docs/behaviour.md §5, §14): they run once per cell of
// every row a night or `tables` reads, millions of times, so they check character codes rather than run
// regular expressions where they can, parse decimals without Number() where the digits allow, decode a
// row's tags once per distinct cell, and keep the hours of the local days met so far in an array. Each
// throws CellError naming its column on a value that is malformed or impossible; the reader adds the file
// and line. BENCHMARKS.md ("`tables` on a 1,000,000-row dataset") measures the reading they make up.
import { type IsoDate, isCalendarDateAt, isIsoDate, localDayHours, twoDigitsAt } from '../shared/dates.js';
import { CellError } from '../shared/errors.js';
import { MAX_GPU_COUNT } from '../shared/gpu-count.js';
import { quote } from './text-bounds.js';

/** What the duration check needs of a file: the zone of its dates and the cache of their day lengths. */
export type DayContext = { readonly zone: string; readonly dayHours: DayHoursCache };

/** The last tags cell decoded and its tags (tag lists repeat from row to row). */
export type LastTags = { text: string; tags: readonly string[] };

export const NO_TAGS: readonly string[] = Object.freeze([]);

export function required(text: string, column: string): string {
  if (text === '') throw new CellError(column, 'must not be empty');
  return text;
}

/** Hours in [0, the length of the row's local day]: 23 or 25 on a daylight-saving change day. */
export function decodeDuration(text: string, date: string, day: number, header: DayContext): number {
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
export type DayHoursCache = { base: number; window: Float64Array; others: Map<number, number> };

/** Days in the window: about 22 years, centred on the first date read. */
const DAY_WINDOW = 8192;
export const NO_HOURS = new Float64Array(0);

function dayHours(date: IsoDate, day: number, header: DayContext): number {
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

export function decodePercent(text: string, column: string): number | null {
  const value = decodeNumber(text, column);
  if (value !== null && (value < 0 || value > MAX_PERCENT)) {
    throw new CellError(column, `not within [0, ${MAX_PERCENT}]: ${quote(text)}`);
  }
  return value;
}

/** Whole GPUs, 0 to MAX_GPU_COUNT: `1e308` is an integer to Number() but no run's count. */
export function decodeGpuCount(text: string): number | null {
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
export function decodeDateTime(text: string, column: string): string {
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
export function decodeInteger(text: string, column: string): number | null {
  if (text === '') return null;
  const value = parseDecimal(text);
  // False for NaN and the infinities too.
  if (!Number.isInteger(value)) throw new CellError(column, `not an integer: ${quote(text)}`);
  return value;
}

export function decodeTagsOnce(text: string, last: LastTags): readonly string[] {
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
