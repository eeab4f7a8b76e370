import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load.js';
import type { IsoDate } from '../src/shared/dates.js';
import { generateDataset } from './generate-dataset.js';
import { measureNode } from './measure.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const ROOT = join(import.meta.dirname, '..');

/** `tables` on a generated dataset next to csv-parse alone reading the same file (issue #2 targets: ≤ 1.3×, ≤ 1 GB). */
export async function benchTables(): Promise<Record<string, unknown>> {
  const out = join(ROOT, 'bench', 'out');
  await mkdir(out, { recursive: true });
  const config = await loadConfig(join(ROOT, 'config.yaml'));
  const teams = config.companies.flatMap((c) => c.teams);
  const dataset = join(out, `dataset-${ROWS}.csv`);
  const start = config.companies.map((c) => c.schedule[0]!.date).sort()[0] as IsoDate;
  await generateDataset(dataset, ROWS, teams, start, 365);
  const size = (await stat(dataset)).size;

  const parse = await measureNode([join(ROOT, 'bench', 'parse-only.mjs'), dataset]);
  const tables = await measureNode([
    join(ROOT, 'dist', 'cli', 'main.js'),
    'tables',
    '--dataset',
    dataset,
    '--config',
    join(ROOT, 'config.yaml'),
    '--date',
    '2025-04-30',
    '--out',
    join(out, 'tables'),
  ]);
  if (parse.code !== 0 || tables.code !== 0)
    throw new Error(`bench run failed: parse ${parse.code}, tables ${tables.code}`);
  return {
    rows: ROWS,
    fileMb: +(size / 2 ** 20).toFixed(1),
    parseOnlySeconds: +(parse.wallMs / 1000).toFixed(2),
    parseOnlyPeakRssMb: Math.round(parse.maxRssMb),
    tablesSeconds: +(tables.wallMs / 1000).toFixed(2),
    tablesPeakRssMb: Math.round(tables.maxRssMb),
    ratio: +(tables.wallMs / parse.wallMs).toFixed(2),
  };
}
