import { calendarDayAt, type IsoDate } from '../shared/dates.js';
import { CellError } from '../shared/errors.js';
import { CPU_COUNT_COLUMN, ORIGINAL_COLUMNS, type RunDay, USERNAME_COLUMN } from '../shared/run-day.js';
import {
  type DayHoursCache,
  decodeDateTime,
  decodeDuration,
  decodeGpuCount,
  decodeInteger,
  decodePercent,
  decodeTagsOnce,
  type LastTags,
  NO_HOURS,
  NO_TAGS,
  required,
} from './cell-decoders.js';
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
  readonly lastTags: LastTags;
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
