// The dataset kept as month files (docs/behaviour.md §14): a prior in the Python original's single-file
// layout loads and is written once as month files, losslessly (every row, every extra column, every
// cell as the file had it); a later night re-sends only the months it touched, and keeps the others'
// manifest entries.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArtifact } from '../../src/product/wandb/artifacts.js';
import { createWandbClient } from '../../src/product/wandb/client.js';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { readDatasetFiles, readDatasetText } from '../helpers/dataset-artifact.js';
import { fixedClock } from '../helpers/fakes.js';
import { CANARY, CONFIG, SEED } from '../helpers/job-world.js';
import { basicAuth, startTestServer, tempDir } from '../helpers/local-wandb.js';
import { runCliCaptured } from '../helpers/run-cli.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/python-original/all_runs_data.csv', import.meta.url));
const WHERE = { entity: 'dash', project: 'board', artifact: 'all_runs_data' };
type Row = Record<string, string>;

let dir: string;
let server: LocalWandb;
let legacy: Row[];
let legacyColumns: string[];

/** The nightly job for Jan 9 with its clock at `now`. */
async function night(now: string) {
  const result = await runCliCaptured(['run', '--config', 'config.yaml', '--end-date', '2025-01-09'], {
    cwd: dir,
    env: { WANDB_BASE_URL: server.url, WANDB_API_KEY: CANARY },
    clock: fixedClock(now),
  });
  expect(result.code, result.stderr).toBe(0);
}

async function versionRows(alias: string): Promise<{ files: string[]; rows: Row[]; columns: string[][] }> {
  const wandb = createWandbClient({ baseUrl: server.url, apiKey: CANARY });
  const opened = await openArtifact(wandb, { ...WHERE, name: `all_runs_data:${alias}` });
  const bodies = await readDatasetFiles(wandb, WHERE, alias);
  const parsed = bodies.map((b) => parse(b, { columns: false }) as string[][]);
  return {
    files: opened?.entries.map((e) => e.path) ?? [],
    columns: parsed.map((p) => p[0] ?? []),
    rows: parsed.flatMap(([header = [], ...rows]) =>
      rows.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']))),
    ),
  };
}

/** The upload PUTs the server received so far (GET /_local/uploads), oldest first. */
async function uploads(): Promise<{ target: { kind: string } }[]> {
  const res = await fetch(`${server.url}/_local/uploads`, { headers: { Authorization: basicAuth(CANARY) } });
  return (await res.json()) as { target: { kind: string } }[];
}

beforeAll(async () => {
  dir = await tempDir('run-dataset-months-');
  // The Python original's file (November 2024) and one more row in January 2025: two months.
  const fixture = await readFile(FIXTURE, 'utf8');
  const january =
    '2025-01-08,alpha-team,llm,r0,[],2025-01-08T10:00:00.000000,2025-01-08T20:00:00.000000,finished,10.0,8,32,,,,,node-1,2025-01-09T00:15:00.000000,exists\n';
  const prior = `${fixture.trimEnd()}\n${january}`;
  const header = (parse(prior, { columns: false }) as string[][])[0] ?? [];
  legacyColumns = header;
  legacy = parse(prior, { columns: true }) as Row[];
  const seed = { ...SEED, artifacts: [{ ...SEED.artifacts[0]!, files: { 'all_runs_data.csv': prior } }] };
  await writeFile(join(dir, 'config.yaml'), CONFIG);
  await writeFile(join(dir, 'seed.json'), JSON.stringify(seed));
  server = await startTestServer({ seed: join(dir, 'seed.json'), apiKey: CANARY });
  await night('2025-01-10T00:00:00Z');
}, 60_000);
afterAll(() => server?.close());

describe('the dataset as month files', () => {
  it('writes a single-file prior once as month files, losslessly', async () => {
    const { files, rows, columns } = await versionRows('v1');
    // Each month file, and beside it the month's sums (docs/behaviour.md §14).
    expect(files).toEqual([
      'all_runs_data.sums/2024-11.json',
      'all_runs_data.sums/2025-01.json',
      'all_runs_data/2024-11.csv',
      'all_runs_data/2025-01.csv',
    ]);
    // Every file is a plain CSV with the prior's columns (in the order of docs/behaviour.md §4, which
    // puts the fork's cpu_count after logged_at, then username), its extra column (run_exists) last.
    for (const header of columns) {
      expect([...header].sort()).toEqual([...legacyColumns, 'username'].sort());
      expect(header.at(-1)).toBe('run_exists');
    }
    for (const row of legacy) {
      const same = rows.find(
        (r) => r.date === row.date && r.company_name === row.company_name && r.run_id === row.run_id,
      );
      // Every cell as the prior had it; the new username column is empty (the prior knew no users).
      expect(same, `${row.date} ${row.run_id}`).toEqual({ ...row, username: '' });
    }
    // The night's own rows are there too, in January.
    expect(rows.filter((r) => r.date === '2025-01-09').length).toBeGreaterThan(0);
  });

  it('gives the same tables from the artifact folder as from one dataset file (tables --dataset)', async () => {
    const wandb = createWandbClient({ baseUrl: server.url, apiKey: CANARY });
    const opened = await openArtifact(wandb, { ...WHERE, name: 'all_runs_data:v1' });
    for (const entry of opened?.entries ?? []) {
      await mkdir(dirname(join(dir, 'download', entry.path)), { recursive: true });
      await writeFile(join(dir, 'download', entry.path), await opened!.read(entry.path));
    }
    await writeFile(join(dir, 'one.csv'), (await readDatasetText(wandb, WHERE, 'v1')) ?? '');
    const tables = async (dataset: string, out: string) => {
      const result = await runCliCaptured(
        ['tables', '--config', 'config.yaml', '--dataset', dataset, '--date', '2025-01-09', '--out', out],
        { cwd: dir },
      );
      expect(result.code, result.stderr).toBe(0);
      return Promise.all(
        ['daily', 'weekly', 'monthly', 'overall', 'summary'].map((t) =>
          readFile(join(dir, out, `${t}.csv`), 'utf8'),
        ),
      );
    };
    const fromFolder = await tables('download', 'out-folder');
    expect(fromFolder[0]).toContain('2025-01-09');
    expect(fromFolder).toEqual(await tables('one.csv', 'out-file'));
  });

  it('re-sends only the month a later night touched', async () => {
    const before = (await uploads()).length;
    await night('2025-01-10T06:00:00Z');
    const artifactFiles = (await uploads()).slice(before).filter((u) => u.target.kind === 'artifact-file');
    const wandb = createWandbClient({ baseUrl: server.url, apiKey: CANARY });
    const v1 = await openArtifact(wandb, { ...WHERE, name: 'all_runs_data:v1' });
    const v2 = await openArtifact(wandb, { ...WHERE, name: 'all_runs_data:v2' });
    const november = (v: typeof v1) => v?.entries.find((e) => e.path === 'all_runs_data/2024-11.csv');
    // November is the same file, born in v1; January changed (its rows' logged_at moved on).
    expect(november(v2)).toEqual(november(v1));
    expect(november(v2)?.birthArtifactID).toBe(v1?.version.id);
    const january = (v: typeof v1) => v?.entries.find((e) => e.path === 'all_runs_data/2025-01.csv');
    expect(january(v2)?.digest).not.toBe(january(v1)?.digest);
    // November's sums are kept too.
    const novemberSums = (v: typeof v1) =>
      v?.entries.find((e) => e.path === 'all_runs_data.sums/2024-11.json');
    expect(novemberSums(v2)).toEqual(novemberSums(v1));
    // The dataset's file uploads this night: January and its sums alone (the manifest and the runs'
    // files are others).
    expect(artifactFiles).toHaveLength(2);
  });
});
