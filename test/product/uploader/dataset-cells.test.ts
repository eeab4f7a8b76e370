import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/product/shared/errors.js';
import { MAX_GPU_COUNT } from '../../../src/product/shared/gpu-count.js';
import type { RunDay } from '../../../src/product/shared/run-day.js';
import { readDataset } from '../../../src/product/uploader/dataset-file.js';
import {
  MAX_CELL_CHARS,
  MAX_LINE_BYTES,
  MAX_RECORD_BYTES,
} from '../../../src/product/uploader/text-bounds.js';
import { ORIGINAL_HEADER } from '../../helpers/dataset-header.js';

const HEADER = ORIGINAL_HEADER;

/** One data line of the header above; the cells a test is about are parameters. */
function line(cells: {
  date?: string;
  project?: string;
  hours?: string;
  gpus?: string;
  metrics?: readonly [string, string, string, string];
  host?: string;
}): string {
  const date = cells.date ?? '2024-11-04';
  const [avgUtil, avgMem, maxUtil, maxMem] = cells.metrics ?? ['50.0', '20.0', '90.0', '30.0'];
  return [
    date,
    't',
    cells.project ?? 'p',
    'r1',
    '[]',
    `${date}T00:00:00`,
    `${date}T02:00:00`,
    'finished',
    cells.hours ?? '2.0',
    cells.gpus ?? '8',
    avgUtil,
    avgMem,
    maxUtil,
    maxMem,
    cells.host ?? 'h1',
    `${date}T23:15:00`,
  ].join(',');
}

async function read(chunks: (string | Buffer)[], zone = 'Asia/Tokyo'): Promise<RunDay[]> {
  const rows: RunDay[] = [];
  await readDataset(Readable.from(chunks), 'data.csv', zone, (row) => rows.push(row));
  return rows;
}

async function failure(chunks: (string | Buffer)[], zone = 'Asia/Tokyo'): Promise<InputError> {
  const error = await read(chunks, zone).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).exitCode).toBe(2);
  return error as InputError;
}

const text = (...lines: string[]) => [`${[HEADER, ...lines].join('\n')}\n`];

describe('duration_hour lies within the length of its local day', () => {
  // New York: 2024-03-10 springs forward (23 h), 2024-11-03 falls back (25 h). Tokyo has no DST.
  it.each([
    ['America/New_York', '2024-03-10', '23.0'],
    ['America/New_York', '2024-11-03', '25.0'],
    ['America/New_York', '2024-11-04', '24.0'],
    ['Asia/Tokyo', '2024-11-03', '24.0'],
    ['Asia/Tokyo', '2024-11-03', '0.0'],
  ])('%s %s: %s hours is accepted', async (zone, date, hours) => {
    const rows = await read(text(line({ date, hours })), zone);
    expect(rows.map((r) => r.duration_hour)).toEqual([Number(hours)]);
  });

  it.each([
    ['America/New_York', '2024-03-10', '23.5', 23],
    ['America/New_York', '2024-11-03', '25.01', 25],
    ['America/New_York', '2024-11-04', '24.5', 24],
    ['Asia/Tokyo', '2024-11-03', '25.0', 24],
    ['Asia/Tokyo', '2024-11-03', '-0.5', 24],
  ])('%s %s: %s hours stops the read', async (zone, date, hours, dayLength) => {
    const error = await failure(text(line({}), line({ date, hours })), zone);
    expect(error.message).toBe(
      `data.csv (line 3, column duration_hour): not within [0, ${dayLength}], the hours of ${date} in ${zone}: "${hours}"`,
    );
  });
});

describe('numbers are finite, counts not negative, percentages within [0, 100]', () => {
  it.each([
    ['a negative gpu_count', { gpus: '-8' }, 'gpu_count): must not be negative: "-8"'],
    ['an infinite gpu_count', { gpus: '1e999' }, 'gpu_count): not an integer: "1e999"'],
    ['NaN as gpu_count', { gpus: 'NaN' }, 'gpu_count): not an integer: "NaN"'],
    ['an infinite duration', { hours: '1e999' }, 'duration_hour): not a finite number: "1e999"'],
    ['NaN as duration', { hours: 'NaN' }, 'duration_hour): not a number: "NaN"'],
    [
      'utilisation over 100',
      { metrics: ['100.5', '20.0', '90.0', '30.0'] },
      'average_gpu_utilization): not within [0, 100]: "100.5"',
    ],
    [
      'negative memory',
      { metrics: ['50.0', '-1.0', '90.0', '30.0'] },
      'average_gpu_memory): not within [0, 100]: "-1.0"',
    ],
    [
      'a max utilisation of 1e999',
      { metrics: ['50.0', '20.0', '1e999', '30.0'] },
      'max_gpu_utilization): not a finite number: "1e999"',
    ],
    [
      'a max memory of -1e999',
      { metrics: ['50.0', '20.0', '90.0', '-1e999'] },
      'max_gpu_memory): not a finite number: "-1e999"',
    ],
    [
      'Infinity spelled out',
      { metrics: ['Infinity', '20.0', '90.0', '30.0'] },
      'average_gpu_utilization): not a number: "Infinity"',
    ],
    [
      'a max memory of 1000',
      { metrics: ['50.0', '20.0', '90.0', '1000'] },
      'max_gpu_memory): not within [0, 100]: "1000"',
    ],
  ] as const)('%s stops the read', async (_name, cells, message) => {
    const error = await failure(text(line(cells)));
    expect(error.message).toBe(`data.csv (line 2, column ${message}`);
  });

  it('accepts the bounds themselves, and NaN as polars writes a missing float', async () => {
    const rows = await read(
      text(line({ gpus: '0', metrics: ['0.0', '100.0', '100', 'NaN'] }), line({ hours: '24' })),
    );
    expect(
      rows.map((r) => [
        r.gpu_count,
        r.average_gpu_utilization,
        r.average_gpu_memory,
        r.max_gpu_utilization,
        r.max_gpu_memory,
        r.duration_hour,
      ]),
    ).toEqual([
      [0, 0, 100, 100, null, 2],
      [8, 50, 20, 90, 30, 24],
    ]);
  });
});

describe('a file that is not UTF-8 stops the read at the bad bytes', () => {
  // 0xff never occurs in UTF-8; 0xed 0xa0 0x80 would encode a surrogate; 0xe6 0x97 starts 日 (e6 97 a5) and stops.
  const FF = [0xff];
  const SURROGATE = [0xed, 0xa0, 0x80];
  const CUT = [0xe6, 0x97];
  const NOT_UTF8 = 'not valid UTF-8 (bytes that encode no character)';
  /** The text as UTF-8 with each '§' replaced by the given bytes. */
  const withBytes = (text: string, bad: number[]) =>
    Buffer.concat(
      text.split('§').flatMap((part, i) => (i === 0 ? [] : [Buffer.from(bad)]).concat(Buffer.from(part))),
    );
  const byteByByte = (file: Buffer) => [...file].map((b) => Buffer.from([b]));

  it.each([
    ['a byte that is never UTF-8', FF],
    ['an encoded surrogate', SURROGATE],
    ['a sequence cut short', CUT],
  ])('%s in host_name on line 3', async (_name, bad) => {
    const error = await failure([withBytes(`${HEADER}\n${line({})}\n${line({ host: 'h§' })}\n`, bad)]);
    expect(error.message).toBe(`data.csv (line 3, column host_name): ${NOT_UTF8}`);
  });

  it('reads characters split across chunks whole, and finds bad bytes so split', async () => {
    const good = Buffer.from(`${HEADER}\n${line({ project: '日本語' })}\n`);
    expect((await read(byteByByte(good))).map((r) => r.project)).toEqual(['日本語']);
    const bad = withBytes(`${HEADER}\n${line({ project: '日本語' })}\n${line({ project: 'x§' })}\n`, CUT);
    const error = await failure(byteByByte(bad));
    expect(error.message).toBe(`data.csv (line 3, column project): ${NOT_UTF8}`);
  });

  it('tells a U+FFFD written on purpose from bad bytes, in an earlier record and in the same one', async () => {
    const lines = [line({ project: 'ok\uFFFD' }), line({ project: 'also\uFFFD', host: 'h§' })];
    const error = await failure([withBytes(`${HEADER}\n${lines.join('\n')}\n`, FF)]);
    expect(error.message).toBe(`data.csv (line 3, column host_name): ${NOT_UTF8}`);
    // Without the bad byte the file reads, U+FFFD and all.
    const rows = await read([withBytes(`${HEADER}\n${lines.join('\n')}\n`, [])]);
    expect(rows.map((r) => [r.project, r.host_name])).toEqual([
      ['ok\uFFFD', 'h1'],
      ['also\uFFFD', 'h'],
    ]);
  });

  it('counts the lines of quoted cells that span several', async () => {
    const lines = [line({ project: '"two\nlines"' }), line({ host: '"h\n§"' })];
    const error = await failure([withBytes(`${HEADER}\n${lines.join('\n')}\n`, FF)]);
    // Header on line 1, the first record on lines 2-3, the second from line 4: its host_name's
    // second line, line 5, holds the bad byte.
    expect(error.message).toBe(`data.csv (line 5, column host_name): ${NOT_UTF8}`);
  });

  it('names a bad header cell by position, and finds a sequence cut by the end of the file', async () => {
    const header = await failure([
      withBytes(`${HEADER.replace(',project,', ',proj§ect,')}\n${line({})}\n`, FF),
    ]);
    expect(header.message).toBe(`data.csv (line 1, column 3): ${NOT_UTF8}`);
    const end = await failure([withBytes(`${HEADER}\n${line({})}§`, CUT)]);
    expect(end.message).toBe(`data.csv (line 2, column logged_at): ${NOT_UTF8}`);
  });
});

describe('gpu_count is a whole number of GPUs in [0, MAX_GPU_COUNT]', () => {
  it.each([
    ['1e20', '1e20'],
    ['1e308', '1e308'],
    ['one more than the bound', String(MAX_GPU_COUNT + 1)],
  ])('%s stops the read', async (_name, gpus) => {
    const error = await failure(text(line({}), line({ gpus })));
    expect(error.message).toBe(
      `data.csv (line 3, column gpu_count): more than the ${MAX_GPU_COUNT} GPUs a run can have: "${gpus}"`,
    );
  });

  it('accepts the bound, and integral floats as pandas writes an integer column holding NaN', async () => {
    const rows = await read(text(line({ gpus: String(MAX_GPU_COUNT) }), line({ gpus: '8.0' })));
    expect(rows.map((r) => r.gpu_count)).toEqual([MAX_GPU_COUNT, 8]);
  });
});

describe('cells, records and lines are bounded, and a NUL byte is refused', () => {
  /** What a flood gives at most: far past every bound, yet small enough for a reader that holds it all. */
  const FLOOD_BYTES = 8 * MAX_LINE_BYTES;

  /**
   * A readable that gives `head`, then `fill` over and over (as /dev/zero would) up to FLOOD_BYTES, and
   * counts what it gave: a reader that stops at a bound takes a small part of it.
   */
  function flood(head: string, fill: string): { stream: Readable; given: () => number } {
    let given = 0;
    let isHeadGiven = head === '';
    const filler = Buffer.from(fill.repeat(Math.ceil(65_536 / fill.length)));
    const stream = new Readable({
      read() {
        const chunk = isHeadGiven ? filler : Buffer.from(head);
        isHeadGiven = true;
        given += chunk.length;
        this.push(given > FLOOD_BYTES ? null : chunk);
      },
    });
    return { stream, given: () => given };
  }

  async function failureOf(stream: Readable): Promise<InputError> {
    const error = await readDataset(stream, 'data.csv', 'Asia/Tokyo', () => {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }

  it('refuses a cell one character longer than MAX_CELL_CHARS, naming its line and column', async () => {
    const long = 'p'.repeat(MAX_CELL_CHARS + 1);
    // The first record spans lines 2-3 (a quoted newline): the long cell is on line 4.
    const error = await failure(text(line({ host: '"h\nh"' }), line({ project: long })));
    expect(error.message).toBe(
      `data.csv (line 4, column project): a cell of ${MAX_CELL_CHARS + 1} characters, longer than the ${MAX_CELL_CHARS} a cell may hold`,
    );
    const rows = await read(text(line({ project: 'p'.repeat(MAX_CELL_CHARS) })));
    expect(rows[0]?.project).toHaveLength(MAX_CELL_CHARS);
  });

  it('stops a cell that never ends at the record bound, having read only about that much', async () => {
    const { stream, given } = flood(`${HEADER}\n2024-11-04,t,`, 'x');
    const error = await failureOf(stream);
    expect(error.message).toBe(
      `data.csv (line 2, column project): a record longer than ${MAX_RECORD_BYTES} bytes (a cell holds at most ${MAX_CELL_CHARS} characters): read stopped there`,
    );
    expect(given()).toBeLessThan(FLOOD_BYTES / 2);
  });

  it('stops a line of delimiters that never ends at the line bound (csv-parse would keep every empty cell)', async () => {
    const { stream, given } = flood(`${HEADER}\n2024-11-04`, ',');
    const error = await failureOf(stream);
    expect(error.message).toBe(
      `data.csv (line 2): a line longer than ${MAX_LINE_BYTES} bytes: read stopped there`,
    );
    expect(given()).toBeLessThan(FLOOD_BYTES / 2);
  });

  it.each([
    ['an even', '2024-11-04,t,"'],
    ['an odd', '2024-11-04,tt,"'],
  ])('stops a quoted cell of escaped quotes at the line bound, cut after %s number of bytes', async (_n, start) => {
    // Two bytes a character: csv-parse's record bound is not reached before the line bound.
    const { stream, given } = flood(`${HEADER}\n${start}`, '""');
    const error = await failureOf(stream);
    expect(error.message).toBe(
      `data.csv (line 2): a line longer than ${MAX_LINE_BYTES} bytes: read stopped there`,
    );
    expect(given()).toBeLessThan(FLOOD_BYTES / 2);
  });

  it('stops NUL bytes without a newline (as /dev/zero gives them) at line 1', async () => {
    const { stream, given } = flood('', '\u0000');
    const error = await failureOf(stream);
    expect(error.message).toBe(
      `data.csv (line 1, column 1): not CSV text (NUL bytes), and a record longer than ${MAX_RECORD_BYTES} bytes (a cell holds at most ${MAX_CELL_CHARS} characters): read stopped there`,
    );
    expect(given()).toBeLessThan(FLOOD_BYTES / 2);
  });

  it('refuses a NUL byte in a cell, naming its line and column, also in the header', async () => {
    const error = await failure(text(line({}), line({ host: 'h\u0000' })));
    expect(error.message).toBe('data.csv (line 3, column host_name): a NUL byte, which CSV text never holds');
    const header = await failure([`${HEADER.replace('state', 'st\u0000ate')}\n${line({})}\n`]);
    expect(header.message).toBe('data.csv (line 1, column 8): a NUL byte, which CSV text never holds');
  });

  it('quotes no more than the start of a long bad cell in its message', async () => {
    const error = await failure(text(line({ hours: 'x'.repeat(5000) })));
    expect(error.message).toBe(
      `data.csv (line 2, column duration_hour): not a number: "${'x'.repeat(100)}…" (5000 characters)`,
    );
  });
});
