import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/** A local calendar date, 'YYYY-MM-DD'. */
export type IsoDate = string & { readonly __brand: 'IsoDate' };

/** True for a real calendar date in 'YYYY-MM-DD' form (rejects 2025-02-30). */
export function isIsoDate(text: string): text is IsoDate {
  return text.length === 10 && !Number.isNaN(dateNumberAt(text, 0));
}

/** True when the 10 characters at `at` are a real calendar date 'YYYY-MM-DD' (what follows is not looked at). */
export function isCalendarDateAt(text: string, at: number): boolean {
  return !Number.isNaN(dateNumberAt(text, at));
}

/** Days since 1970-01-01 of the calendar date 'YYYY-MM-DD' at `at` (see isCalendarDateAt), or NaN. */
export function calendarDayAt(text: string, at: number): number {
  const date = dateNumberAt(text, at);
  return Number.isNaN(date) ? date : daysFromCivil((date / 10_000) | 0, ((date / 100) | 0) % 100, date % 100);
}

/**
 * The date at `at` as the number YYYYMMDD, or NaN when it is not a real calendar date. Checked
 * by character codes rather than a regex and Date: the dataset reader checks every date and
 * datetime. Years before 100 are rejected, as they always were (Date.UTC maps them to 19xx).
 */
function dateNumberAt(text: string, at: number): number {
  if (text.charCodeAt(at + 4) !== DASH || text.charCodeAt(at + 7) !== DASH) return Number.NaN;
  const year = twoDigitsAt(text, at) * 100 + twoDigitsAt(text, at + 2);
  const month = twoDigitsAt(text, at + 5);
  const day = twoDigitsAt(text, at + 8);
  // NaN (a non-digit) fails every comparison below.
  if (!(year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)))
    return Number.NaN;
  return year * 10_000 + month * 100 + day;
}

const DASH = 45;
const ZERO = 48;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by the two ASCII digits at `at`, or NaN if either is not a digit. */
export function twoDigitsAt(text: string, at: number): number {
  const tens = text.charCodeAt(at) - ZERO;
  const ones = text.charCodeAt(at + 1) - ZERO;
  // Also false for NaN (past the end of the text).
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : Number.NaN;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1]!;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). Years are
 * at least 100 here, so `| 0` floors the (positive) quotients with integer division.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = (y / 400) | 0;
  const yearOfEra = y - era * 400;
  const dayOfYear = (((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) | 0) + day - 1;
  const dayOfEra = yearOfEra * 365 + ((yearOfEra / 4) | 0) - ((yearOfEra / 100) | 0) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Whole days from a to b (b - a); both are calendar dates, so no time zone is involved. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10) as IsoDate;
}

/** Day of week, 0 = Sunday … 6 = Saturday. */
function weekday(date: IsoDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** First day of the week holding `date`, weeks starting on `startsOn` (0 = Sunday). */
export function weekStart(date: IsoDate, startsOn: number): IsoDate {
  return addDays(date, -((weekday(date) - startsOn + 7) % 7));
}

export function monthOf(date: IsoDate): string {
  return date.slice(0, 7);
}

/** First day of the calendar month holding `date`. */
export function monthStart(date: IsoDate): IsoDate {
  return `${date.slice(0, 7)}-01` as IsoDate;
}

/** Last day of the calendar month holding `date`. */
export function monthEnd(date: IsoDate): IsoDate {
  return addDays(monthStart(addDays(monthStart(date), 31)), -1);
}

/** Inclusive list of dates from start to end. */
export function dateRange(start: IsoDate, end: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = start; d <= end; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The local date of an instant in a time zone. */
export function localDateOf(instant: Date, zone: string): IsoDate {
  return dayjs(instant).tz(zone).format('YYYY-MM-DD') as IsoDate;
}

/** The instant a local date starts (00:00 local) in a time zone, as epoch milliseconds. */
export function startOfLocalDay(date: IsoDate, zone: string): number {
  return dayjs.tz(`${date}T00:00:00`, zone).valueOf();
}

/**
 * Hours in a local date: 24, or 23 / 25 (23.5 / 24.5 in a few zones) on a daylight-saving change
 * day. Measured between the same local midnights the tracker splits runs at.
 */
export function localDayHours(date: IsoDate, zone: string): number {
  return (startOfLocalDay(addDays(date, 1), zone) - startOfLocalDay(date, zone)) / MS_PER_HOUR;
}

const MS_PER_HOUR = 3_600_000;

/**
 * Parses a W&B DateTime: UTC without a zone suffix ('2024-11-03T00:15:00'), a trailing 'Z',
 * an explicit offset, and fractional seconds are all accepted. Returns epoch ms or undefined.
 */
export function parseWandbTime(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
    text.trim(),
  );
  if (!m || !isIsoDate(m[1] ?? '')) return undefined;
  const fraction = m[5] ? Number(m[5]) * 1000 : 0;
  const base = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}${normaliseOffset(m[6])}`);
  return Number.isNaN(base) ? undefined : base + fraction;
}

function normaliseOffset(offset: string | undefined): string {
  if (!offset || offset === 'Z') return 'Z';
  return offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
}

/** Formats an instant as local time in the dataset's format, 'YYYY-MM-DDTHH:MM:SS.ffffff'. */
export function formatLocalTime(epochMs: number, zone: string): string {
  return withMicros(epochMs, (whole) => dayjs(whole).tz(zone).format('YYYY-MM-DDTHH:mm:ss'));
}

/** `wall(whole ms)` + '.ffffff': the sub-second part of an instant in microseconds. */
function withMicros(epochMs: number, wall: (whole: number) => string): string {
  const whole = Math.floor(epochMs);
  const micros = Math.min(
    999_999,
    Math.round((epochMs - whole) * 1000) + (((whole % 1000) + 1000) % 1000) * 1000,
  );
  return `${wall(whole)}.${String(micros).padStart(6, '0')}`;
}

/** formatLocalTime and localDateOf of one zone, for the many instants of a job. */
export type LocalTimes = {
  format(epochMs: number): string;
  date(epochMs: number): IsoDate;
};

/** Instants this formats by arithmetic: years 1000–9999, where toISOString has the dataset's shape. */
const ARITHMETIC_FROM = Date.UTC(1000, 0, 1);
const ARITHMETIC_TO = Date.UTC(9999, 11, 31);

/**
 * The same answers as formatLocalTime and localDateOf, at a fraction of the cost: dayjs gives the zone's
 * UTC offset once per UTC hour, and each instant is shifted by it. An offset is used only when dayjs gives
 * the same whole minutes at both ends of the hour (time-zone rules change an offset at most once in any
 * hour, so it held throughout); an hour with a change, or an odd offset, asks dayjs for every instant.
 */
export function localTimesIn(zone: string): LocalTimes {
  const offsets = new Map<number, number | null>();
  const offsetAt = (ms: number): number | null => {
    const hour = Math.floor(ms / MS_PER_HOUR);
    let offset = offsets.get(hour);
    if (offset === undefined) {
      const first = dayjs(hour * MS_PER_HOUR)
        .tz(zone)
        .utcOffset();
      const last = dayjs((hour + 1) * MS_PER_HOUR - 1)
        .tz(zone)
        .utcOffset();
      offset = first === last && Number.isInteger(first) ? first : null;
      offsets.set(hour, offset);
    }
    return offset;
  };
  const wall = (whole: number): string => {
    const offset = whole >= ARITHMETIC_FROM && whole <= ARITHMETIC_TO ? offsetAt(whole) : null;
    return offset === null
      ? dayjs(whole).tz(zone).format('YYYY-MM-DDTHH:mm:ss')
      : new Date(whole + offset * 60_000).toISOString().slice(0, 19);
  };
  return {
    format: (epochMs) => withMicros(epochMs, wall),
    date: (epochMs) => wall(Math.floor(epochMs)).slice(0, 10) as IsoDate,
  };
}

/**
 * Parses a local datetime as the dataset stores it ('YYYY-MM-DDTHH:MM:SS[.ffffff]', no zone)
 * in `zone`; returns epoch ms (microseconds kept as a fraction) or undefined.
 */
export function parseLocalTime(text: string, zone: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/.exec(text);
  if (!m || !isIsoDate(m[1] ?? '')) return undefined;
  const [h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4])];
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const base = dayjs.tz(`${m[1]}T${m[2]}:${m[3]}:${m[4]}`, zone).valueOf();
  const fraction = m[5] ? Number(`0.${m[5]}`) * 1000 : 0;
  return base + fraction;
}

/**
 * Epoch ms of local midnight for each day from start to end + 1 (so day i spans
 * [bounds[i], bounds[i + 1])). Computed once per job, so samples are dated without a
 * time-zone conversion each.
 */
export function localDayBounds(start: IsoDate, end: IsoDate, zone: string): number[] {
  return [...dateRange(start, end), addDays(end, 1)].map((d) => startOfLocalDay(d, zone));
}

/** Index of the local day holding an instant, or -1 outside the bounds. */
export function dayIndexOf(epochMs: number, bounds: readonly number[]): number {
  let lo = 0;
  let hi = bounds.length - 1;
  if (!(epochMs >= bounds[0]! && epochMs < bounds[hi]!)) return -1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (epochMs >= bounds[mid]!) lo = mid;
    else hi = mid;
  }
  return lo;
}
