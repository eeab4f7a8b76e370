// A backfill of older days commits its rows; the dashboard's `latest` view must show them at once, not
// after the next night: the Tables holding `latest` equal `tables` at T on the merged dataset.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/product/shared/dates.js';
import { createWandbClient } from '../../src/product/wandb/client.js';
import { listRunsByTag } from '../../src/product/wandb/run-writer.js';
import { readDatasetText } from '../helpers/dataset-artifact.js';
import { FLEET_CONFIG, type FleetJobWorld, runFleetJob, startFleetJobWorld } from '../helpers/fleet-job.js';
import { API_KEY, gql } from '../helpers/local-wandb.js';
import { runCliCaptured } from '../helpers/run-cli.js';

const T = '2025-03-09';
const NOW = '2025-03-10T03:00:00Z';
// The overall run's Tables and the `tables` command's file for each.
const OVERALL_KEYS = {
  daily_gpu_usage: 'daily',
  weekly_gpu_usage: 'weekly',
  monthly_gpu_usage: 'monthly',
  overall_gpu_usage: 'overall',
} as const;

type TableJson = { columns: string[]; data: (string | number)[][] };

/** The Tables the `latest` overall run logged, by key, downloaded as the dashboard reads them. */
async function latestOverallTables(
  world: FleetJobWorld,
): Promise<{ name: string; tables: Record<string, TableJson> }> {
  const wandb = createWandbClient({ baseUrl: world.server.url, apiKey: API_KEY });
  const holders = await listRunsByTag(wandb, 'geniac-gpu', 'gpu-dashboard2', 'latest');
  const overall = holders.filter((r) => r.tags.includes('overall'));
  expect(overall).toHaveLength(1);
  const run = overall[0]!;
  const res = await gql(
    world.server.url,
    `query ($name: String!) { project(name: "gpu-dashboard2", entityName: "geniac-gpu") {
      run(name: $name) { displayName summaryMetrics files(first: 100) { edges { node { name url } } } } } }`,
    { name: run.name },
  );
  const node = (
    res.body.data as {
      project: {
        run: {
          displayName: string;
          summaryMetrics: string;
          files: { edges: { node: { name: string; url: string } }[] };
        };
      };
    }
  ).project.run;
  const summary = JSON.parse(node.summaryMetrics) as Record<string, { path: string }>;
  const tables: Record<string, TableJson> = {};
  for (const key of Object.keys(OVERALL_KEYS)) {
    const file = node.files.edges.find((e) => e.node.name === summary[key]?.path);
    if (!file) throw new Error(`no file for ${key}`);
    tables[key] = JSON.parse((await wandb.download(file.node.url, { auth: true })).toString('utf8'));
  }
  return { name: node.displayName, tables };
}

/** A CSV cell as `tables` writes it equals a W&B Table cell: strings as is, numbers at the CSV's decimals. */
function sameCell(csv: string, json: string | number): boolean {
  if (typeof json === 'string') return csv === json;
  const decimals = csv.includes('.') ? csv.length - csv.indexOf('.') - 1 : 0;
  return json.toFixed(decimals) === csv;
}

describe('run: a backfill after the nightly job', () => {
  let world: FleetJobWorld;
  beforeAll(async () => {
    world = await startFleetJobWorld(FLEET_CONFIG, { seed: 7, days: 21, endDate: '2025-03-10' as IsoDate });
    const nightly = await runFleetJob(world, NOW, ['--start-date', T, '--end-date', T]);
    expect(nightly.code, nightly.stderr).toBe(0);
    const backfill = await runFleetJob(world, NOW, [
      '--start-date',
      '2025-02-27',
      '--end-date',
      '2025-03-08',
    ]);
    expect(backfill.code, backfill.stderr).toBe(0);
  }, 120_000);
  afterAll(() => world?.server.close());

  it('leaves latest on tables of T that equal `tables` at T on the merged dataset', async () => {
    const wandb = createWandbClient({ baseUrl: world.server.url, apiKey: API_KEY });
    const dataset = await readDatasetText(
      wandb,
      { entity: 'geniac-gpu', project: 'gpu-dashboard2', artifact: 'all_runs_data' },
      'latest',
    );
    const dir = join(world.dir, 'offline');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'dataset.csv'), dataset!);
    const offline = await runCliCaptured(
      ['tables', '--config', '../config.yaml', '--dataset', 'dataset.csv', '--date', T, '--out', '.'],
      { cwd: dir },
    );
    expect(offline.code, offline.stderr).toBe(0);

    const latest = await latestOverallTables(world);
    expect(latest.name).toBe(`Tables_${T}`);
    // The backfill's days are in the merged dataset, so the daily table has rows before T.
    const daily = parse(await readFile(join(dir, 'daily.csv')), { columns: false }) as string[][];
    expect(daily.slice(1).some((row) => row.includes('2025-03-01'))).toBe(true);
    for (const [key, file] of Object.entries(OVERALL_KEYS)) {
      const [header, ...rows] = parse(await readFile(join(dir, `${file}.csv`)), {
        columns: false,
      }) as string[][];
      const table = latest.tables[key]!;
      expect(table.columns, key).toEqual(header);
      expect(table.data.length, key).toBe(rows.length);
      rows.forEach((row, r) => {
        row.forEach((cell, c) => {
          expect(
            sameCell(cell, table.data[r]![c]!),
            `${key} row ${r} column ${header![c]}: ${cell} vs ${table.data[r]![c]}`,
          ).toBe(true);
        });
      });
    }
  });
});
