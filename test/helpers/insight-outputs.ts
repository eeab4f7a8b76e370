// What the allocation-insight tests read back from `run --out`, and a system-metrics sample for their seeds.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';

export type Row = Record<string, string>;

/** The §13 columns the usage tables gained, in their order. */
export const NEW_COLUMNS = ['busy_gpu_hour', 'idle_gpu_hour', 'unmeasured_gpu_hour', '実効GPU稼働率(%)'];
/** The cells checked per usage row, after company and period: three of §6 to anchor the rows, then §13's. */
export const CHECKED = ['合計GPU使用時間(h)', '_total_gpu_hour', 'assigned_gpu_hour', ...NEW_COLUMNS];

/** An events row at a UTC time with `system.gpu.<i>.gpu` = utils[i]. */
export const sample = (utc: string, utils: number[]) => ({
  _timestamp: Date.parse(`${utc}Z`) / 1000,
  _wandb: true,
  ...Object.fromEntries(utils.map((u, i) => [`system.gpu.${i}.gpu`, u])),
});

/** The files of `<dir>/out`, as records by header or as plain cells. */
export function outFiles(dir: () => string) {
  const path = (name: string) => join(dir(), 'out', name);
  return {
    records: async (name: string): Promise<Row[]> =>
      parse(await readFile(path(name)), { columns: true }) as Row[],
    cells: async (name: string): Promise<string[][]> => parse(await readFile(path(name))) as string[][],
  };
}

/** The checked cells of the one row of `company` (and period) in a usage table: [company, period, …CHECKED]. */
export function checkedRow(
  rows: Row[],
  periodColumn: string | null,
  company: string,
  period: string,
): string[] {
  const found = rows.filter(
    (r) => r.企業名 === company && (periodColumn === null || r[periodColumn] === period),
  );
  expect(found, `${company} ${period}`).toHaveLength(1);
  return [company, period, ...CHECKED.map((c) => found[0]![c] ?? `(no ${c})`)];
}

/** Each expected row of the four usage tables equals the row written for its company and period. */
export async function expectUsageRows(
  read: ReturnType<typeof outFiles>,
  expected: { daily: string[][]; weekly: string[][]; monthly: string[][]; overall: string[][] },
): Promise<void> {
  const daily = await read.records('daily.csv');
  expect(expected.daily.map(([c, d]) => checkedRow(daily, '日付', c!, d!))).toEqual(expected.daily);
  const weekly = await read.records('weekly.csv');
  expect(expected.weekly.map(([c, w]) => checkedRow(weekly, '週開始日', c!, w!))).toEqual(expected.weekly);
  const monthly = await read.records('monthly.csv');
  expect(expected.monthly.map(([c, m]) => checkedRow(monthly, '年月', c!, m!))).toEqual(expected.monthly);
  const overall = await read.records('overall.csv');
  expect(expected.overall.map(([c]) => checkedRow(overall, null, c!, ''))).toEqual(expected.overall);
}
