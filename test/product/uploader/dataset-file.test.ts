import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/product/shared/errors.js';
import type { RunDay } from '../../../src/product/shared/run-day.js';
import {
  loadDatasetFile,
  readDataset,
  writeDatasetFile,
} from '../../../src/product/uploader/dataset-file.js';
import { ORIGINAL_HEADER } from '../../helpers/dataset-header.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'python-original');
// The Python original's zone: its dates are JST dates.
const ZONE = 'Asia/Tokyo';

describe('reading files written by the Python original', () => {
  it('loads the polars write_csv file with every value as written', async () => {
    const { rows, extras } = await loadDatasetFile(join(FIXTURES, 'all_runs_data.csv'), ZONE);
    expect(extras).toEqual(['run_exists']);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({
      date: '2024-11-04',
      company_name: 'abeja-geniac',
      project: 'gpu-info-llm',
      run_id: 'a1b2c3d4',
      tags: ['exp', 'long, run'],
      created_at: '2024-11-03T09:15:00.000000',
      updated_at: '2024-11-04T03:30:00.250000',
      state: 'finished',
      duration_hour: 3.5,
      gpu_count: 16,
      average_gpu_utilization: 85.25,
      average_gpu_memory: 40.5,
      max_gpu_utilization: 100,
      max_gpu_memory: 66,
      host_name: 'node-01',
      logged_at: '2024-11-05T00:15:01.123456',
      cpu_count: 96,
      // The Python original knows no username: empty, shown as (unknown) (docs/behaviour.md §13).
      username: '',
      extra: { run_exists: 'exists' },
    });
    expect(rows[1]).toMatchObject({
      average_gpu_utilization: null,
      max_gpu_memory: null,
      duration_hour: 14.75,
    });
    expect(rows[2]).toMatchObject({ cpu_count: null, extra: { run_exists: 'deleted' }, tags: ['other_gpu'] });
    expect(rows[3]).toMatchObject({
      project: '日本語-proj',
      tags: [],
      host_name: 'gpu-node-"7"',
      duration_hour: 0.9997222222222222,
    });
  });

  it('loads the 16-column layout with datetimes without fractions or with a space', async () => {
    const { rows, extras } = await loadDatasetFile(join(FIXTURES, 'original-16-columns.csv'), ZONE);
    expect(extras).toEqual([]);
    expect(rows.map((r) => [r.created_at, r.logged_at, r.cpu_count, r.gpu_count])).toEqual([
      ['2024-11-03T10:00:00.000000', '2024-11-04T00:15:00.000000', null, 8],
      ['2024-11-03T11:00:00.000000', '2024-11-04T00:15:00.000000', null, null],
    ]);
  });

  it('read → write → read is lossless, and our own output rewrites byte for byte', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dataset-'));
    for (const name of ['all_runs_data.csv', 'original-16-columns.csv']) {
      const first = await loadDatasetFile(join(FIXTURES, name), ZONE);
      const once = join(dir, `once-${name}`);
      await writeDatasetFile(once, first.rows, first.extras);
      const second = await loadDatasetFile(once, ZONE);
      expect(second.rows).toEqual(first.rows);
      expect(second.extras).toEqual(first.extras);
      const twice = join(dir, `twice-${name}`);
      await writeDatasetFile(twice, second.rows, second.extras);
      expect(await readFile(twice, 'utf8')).toBe(await readFile(once, 'utf8'));
    }
  });

  it('writes the original column order, then cpu_count and username, then the prior file’s extra columns', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dataset-'));
    const { rows, extras } = await loadDatasetFile(join(FIXTURES, 'all_runs_data.csv'), ZONE);
    const out = join(dir, 'out.csv');
    await writeDatasetFile(out, rows, extras);
    const [header, first] = (await readFile(out, 'utf8')).split('\n');
    expect(header).toBe(
      'date,company_name,project,run_id,tags,created_at,updated_at,state,duration_hour,gpu_count,average_gpu_utilization,average_gpu_memory,max_gpu_utilization,max_gpu_memory,host_name,logged_at,cpu_count,username,run_exists',
    );
    expect(first).toBe(
      '2024-11-04,abeja-geniac,gpu-info-llm,a1b2c3d4,"[""exp"", ""long, run""]",2024-11-03T09:15:00.000000,2024-11-04T03:30:00.250000,finished,3.5,16,85.25,40.5,100.0,66.0,node-01,2024-11-05T00:15:01.123456,96,,exists',
    );
  });
});

const HEADER = ORIGINAL_HEADER;
const GOOD =
  '2024-11-03,t,p,r1,[],2024-11-03T10:00:00,2024-11-03T12:00:00,finished,2.0,8,50.0,20.0,90.0,30.0,h1,2024-11-04T00:15:00';

async function readText(text: string): Promise<RunDay[]> {
  const rows: RunDay[] = [];
  await readDataset(Readable.from([text]), 'data.csv', ZONE, (row) => rows.push(row));
  return rows;
}

describe('malformed dataset files stop the read and name the line and column', () => {
  it.each([
    [
      'a row with a missing cell',
      `${HEADER}\n${GOOD}\n${GOOD.replace(',h1', '')}\n`,
      /data\.csv \(line 3\): wrong number of columns/,
    ],
    [
      'an unparsable number',
      `${HEADER}\n${GOOD}\n${GOOD.replace('2.0,8', 'two,8')}\n`,
      /line 3, column duration_hour\): not a number: "two"/,
    ],
    [
      'a fractional gpu_count',
      `${HEADER}\n${GOOD.replace(',8,', ',8.5,')}\n`,
      /line 2, column gpu_count\): not an integer/,
    ],
    [
      'an invalid date',
      `${HEADER}\n${GOOD.replace('2024-11-03,t', '2024-02-30,t')}\n`,
      /line 2, column date\)/,
    ],
    [
      'an invalid datetime',
      `${HEADER}\n${GOOD.replace('2024-11-03T10:00:00', '2024-11-03T25:00:00')}\n`,
      /line 2, column created_at\)/,
    ],
    [
      'tags that are not a JSON list',
      `${HEADER}\n${GOOD.replace(',[],', ",['a'],")}\n`,
      /line 2, column tags\)/,
    ],
    [
      'an empty run id',
      `${HEADER}\n${GOOD.replace(',r1,', ',,')}\n`,
      /line 2, column run_id\): must not be empty/,
    ],
    [
      'a missing column',
      `${HEADER.replace(',logged_at', '')}\n`,
      /line 1\): not a dataset file: missing column logged_at/,
    ],
    ['an empty file', '', /empty file/],
  ])('%s', async (_name, text, message) => {
    const error = await readText(text).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(message);
  });

  it('accepts the good row used above (so each case fails only for its own defect)', async () => {
    expect(await readText(`${HEADER}\n${GOOD}\n`)).toHaveLength(1);
  });

  it('names a file it cannot open', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dataset-'));
    await writeFile(join(dir, 'x'), '');
    await expect(loadDatasetFile(join(dir, 'missing.csv'), ZONE)).rejects.toThrow(
      /missing\.csv: cannot read the file \(ENOENT\)/,
    );
  });
});

describe('the username column (docs/behaviour.md §4)', () => {
  it('reads back any text a W&B username holds, and is empty in files without the column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dataset-'));
    const [row] = await readText(`${HEADER}\n${GOOD}\n`);
    expect(row?.username).toBe('');
    const named = { ...row!, username: 'o\'brien, "dev"\nteam' };
    const out = join(dir, 'out.csv');
    await writeDatasetFile(out, [named], []);
    const text = await readFile(out, 'utf8');
    expect(text.split('\n')[0]).toBe(
      'date,company_name,project,run_id,tags,created_at,updated_at,state,duration_hour,gpu_count,average_gpu_utilization,average_gpu_memory,max_gpu_utilization,max_gpu_memory,host_name,logged_at,cpu_count,username',
    );
    expect((await readText(text))[0]?.username).toBe('o\'brien, "dev"\nteam');
  });
});
