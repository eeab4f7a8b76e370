import { mkdir, stat } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/product/config/load.js';
import type { IsoDate } from '../src/product/shared/dates.js';
import { generateDataset } from './generate-dataset.js';
import { measureNode } from './measure.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
/** Pairs of runs (csv-parse alone, then `tables`): wall times on a shared machine move, so each pair is compared. */
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const ROOT = join(import.meta.dirname, '..');

/** `tables` on a generated dataset next to csv-parse alone reading the same file (targets: ≤ 1.3× its time, ≤ 1 GB). */
export async function benchTables(): Promise<Record<string, unknown>> {
  const out = join(ROOT, 'bench', 'out');
  await mkdir(out, { recursive: true });
  const config = await loadConfig(join(ROOT, 'config.yaml'));
  const teams = config.companies.flatMap((c) => c.teams);
  const dataset = join(out, `dataset-${ROWS}.csv`);
  const start = config.companies.map((c) => c.schedule[0]!.date).sort()[0] as IsoDate;
  await generateDataset(dataset, ROWS, teams, start, 365);
  const size = (await stat(dataset)).size;

  const loadBefore = loadavg();
  const runs: {
    parseOnly: number;
    tables: number;
    ratio: number;
    parseRssMb: number;
    tablesRssMb: number;
  }[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const parse = await measureNode([join(ROOT, 'bench', 'parse-only.mjs'), dataset]);
    const tables = await measureNode([
      join(ROOT, 'dist', 'main.js'),
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
    runs.push({
      parseOnly: seconds(parse.wallMs),
      tables: seconds(tables.wallMs),
      ratio: +(tables.wallMs / parse.wallMs).toFixed(3),
      parseRssMb: Math.round(parse.maxRssMb),
      tablesRssMb: Math.round(tables.maxRssMb),
    });
  }
  const ratios = runs.map((r) => r.ratio).sort((a, b) => a - b);
  return {
    rows: ROWS,
    fileMb: +(size / 2 ** 20).toFixed(1),
    repeat: REPEAT,
    parseOnlySeconds: Math.min(...runs.map((r) => r.parseOnly)),
    parseOnlyPeakRssMb: Math.max(...runs.map((r) => r.parseRssMb)),
    tablesSeconds: Math.min(...runs.map((r) => r.tables)),
    tablesPeakRssMb: Math.max(...runs.map((r) => r.tablesRssMb)),
    /** Median over the pairs of `tables` / csv-parse alone. */
    ratio: ratios[Math.floor((ratios.length - 1) / 2)],
    runs,
    loadAverage1m: { before: +loadBefore[0]!.toFixed(2), after: +loadavg()[0]!.toFixed(2) },
  };
}

function seconds(ms: number): number {
  return +(ms / 1000).toFixed(2);
}
