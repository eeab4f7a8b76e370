// A night reads the months it works on, and knows the others by their sums files (docs/behaviour.md §14):
// a month file it does not touch is never read while its sums file names its bytes, and a sums file that
// names other bytes is not believed (the month's rows are read and its sums computed again). Every figure
// below is worked out by hand from the rows written here.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPublishedDashboard } from '../../src/product/publish/read-published.js';
import { openArtifact } from '../../src/product/wandb/artifacts.js';
import { createWandbClient } from '../../src/product/wandb/client.js';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { CPU_COUNT_HEADER } from '../helpers/dataset-header.js';
import { fixedClock } from '../helpers/fakes.js';
import { CANARY, SEED } from '../helpers/job-world.js';
import { runCliCaptured } from '../helpers/run-cli.js';
import { makeWorld } from '../helpers/world.js';

const CONFIG = `
timezone: Asia/Tokyo
ignore_tags: [other_gpu]
dashboard: { entity: dash, project: board, tag_for_latest: latest }
dataset: { entity: dash, project: board, artifact_name: all_runs_data }
companies:
  - company: alpha
    teams: [alpha-team]
    schedule: [{ date: "2024-11-01", assigned_gpu_node: 1 }]
`;
const HEADER = CPU_COUNT_HEADER;
// November: 10 h × 8 GPUs = 80 GPU h at 50 %.
const NOVEMBER = `${HEADER}
2024-11-05,alpha-team,llm,n1,[],2024-11-05T08:00:00.000000,2024-11-05T18:00:00.000000,finished,10.0,8,50.0,20.0,60.0,30.0,node-1,2024-11-06T00:15:00.000000,32
`;
// December as it was written: 5 h × 8 GPUs = 40 GPU h at 40 %. The file in the artifact is damaged
// (a duration that is not a number), so a night that read it would stop.
const DECEMBER_DAMAGED = `${HEADER}
2024-12-10,alpha-team,llm,d1,[],2024-12-10T08:00:00.000000,2024-12-10T13:00:00.000000,finished,five,8,40.0,10.0,45.0,15.0,node-1,2024-12-11T00:15:00.000000,32
`;
// January before the night: 10 h × 8 GPUs on Jan 8, no metrics.
const JANUARY = `${HEADER}
2025-01-08,alpha-team,llm,r0,[],2025-01-08T10:00:00.000000,2025-01-08T20:00:00.000000,finished,10.0,8,,,,,node-1,2025-01-09T00:15:00.000000,32
`;
const md5 = (text: string) => createHash('md5').update(text).digest('base64');
const sumsFile = (month: string, source: string, day: unknown[], runs: unknown[]) =>
  JSON.stringify({
    format: 'gpu-dashboard month sums 2',
    month,
    source,
    ignore_tags: ['other_gpu'],
    extras: [],
    rows: 1,
    runs,
    days: [day],
  });
// December's sums as the night that wrote December computed them: they name the file's bytes.
const DECEMBER_SUMS = sumsFile(
  '2024-12',
  md5(DECEMBER_DAMAGED),
  // 40 GPU h at 40 %: 16 busy, none unmeasured.
  ['alpha-team', '2024-12-10', 1, 0, 0, 40, 5, 200, 50, 16, 0, 45, 15, [0]],
  [['alpha-team', 'llm', ['d1']]],
);
// November's sums name other bytes (and say 9999 GPU h): they must not be believed.
const NOVEMBER_STALE = sumsFile(
  '2024-11',
  md5('another November'),
  ['alpha-team', '2024-11-05', 1, 0, 0, 9999, 10, 500, 200, 9999, 0, 60, 30, [0]],
  [['alpha-team', 'llm', ['n1']]],
);

const WHERE = { entity: 'dash', project: 'board' };
let dir: string;
let server: LocalWandb;
let night: Awaited<ReturnType<typeof runCliCaptured>>;

beforeAll(async () => {
  const files = {
    'all_runs_data/2024-11.csv': NOVEMBER,
    'all_runs_data.sums/2024-11.json': NOVEMBER_STALE,
    'all_runs_data/2024-12.csv': DECEMBER_DAMAGED,
    'all_runs_data.sums/2024-12.json': DECEMBER_SUMS,
    'all_runs_data/2025-01.csv': JANUARY,
  };
  const seed = { ...SEED, artifacts: [{ ...SEED.artifacts[0]!, files }] };
  ({ dir, server } = await makeWorld({ name: 'run-month-sums', config: CONFIG, seed, apiKey: CANARY }));
  night = await runCliCaptured(['run', '--config', 'config.yaml', '--end-date', '2025-01-09'], {
    cwd: dir,
    env: { WANDB_BASE_URL: server.url, WANDB_API_KEY: CANARY },
    clock: fixedClock('2025-01-10T00:00:00Z'),
  });
}, 60_000);
afterAll(() => server?.close());

/** A Table of the published overall run, as records (the job's own tables, as W&B holds them). */
async function table(name: string): Promise<Record<string, unknown>[]> {
  const wandb = createWandbClient({ baseUrl: server.url, apiKey: CANARY });
  const board = await readPublishedDashboard(wandb, { ...WHERE, tag: 'latest' });
  const data = board.runs.find((r) => r.tag === 'overall')?.tables[`${name}_gpu_usage`];
  return (data?.rows ?? []).map((row) => Object.fromEntries(data!.columns.map((c, i) => [c, row[i]])));
}

describe('a night over months it does not read', () => {
  it('never reads a month file whose sums name its bytes, and takes its figures from them', async () => {
    expect(night.code, night.stderr).toBe(0);
    const monthly = await table('monthly');
    const byMonth = Object.fromEntries(monthly.map((r) => [r.年月, r]));
    expect(byMonth['2024-12']?.['合計GPU使用時間(h)']).toBe(40);
    expect(byMonth['2024-12']?.['平均GPUパフォーマンス率(%)']).toBe(40);
    expect(byMonth['2024-12']?.n_runs).toBe(1);
    // Nov 80 + Dec 40 + Jan 8 80 + the night's Jan 9 (r1 48, r3 16, r4 8) = 272 GPU h over 70 node-days;
    // metrics: (50 × 10 + 40 × 5 + 60 × 6) / 21 h = 50.5 %; six runs.
    const [overall] = await table('overall');
    expect(overall?.['合計GPU使用時間(h)']).toBe(272);
    expect(overall?.assigned_gpu_hour).toBe(70 * 8 * 24);
    expect(overall?.['平均GPUパフォーマンス率(%)']).toBe(50.5);
    expect(overall?.n_runs).toBe(6);
  });

  it('computes a month again from its rows when its sums name other bytes', async () => {
    const monthly = await table('monthly');
    const november = monthly.find((r) => r.年月 === '2024-11');
    expect(november?.['合計GPU使用時間(h)']).toBe(80);
    expect(november?.['平均GPUパフォーマンス率(%)']).toBe(50);
    expect(night.stderr).toMatch(/"event":"uploader\.sums_recomputed".*"month":"2024-11".*"reason":"stale"/);
    expect(night.stderr).not.toMatch(/"event":"uploader\.sums_recomputed".*"month":"2024-12"/);
  });

  it('keeps the untouched files by their entries and writes the new sums beside them', async () => {
    const wandb = createWandbClient({ baseUrl: server.url, apiKey: CANARY });
    const v0 = await openArtifact(wandb, { ...WHERE, name: 'all_runs_data:v0' });
    const v1 = await openArtifact(wandb, { ...WHERE, name: 'all_runs_data:v1' });
    const entry = (v: typeof v0, path: string) => v?.entries.find((e) => e.path === path);
    for (const kept of [
      'all_runs_data/2024-11.csv',
      'all_runs_data/2024-12.csv',
      'all_runs_data.sums/2024-12.json',
    ]) {
      expect(entry(v1, kept), kept).toEqual(entry(v0, kept));
    }
    // November's sums are written again (now naming its file), January's month and sums are new.
    expect(entry(v1, 'all_runs_data.sums/2024-11.json')?.digest).not.toBe(
      entry(v0, 'all_runs_data.sums/2024-11.json')?.digest,
    );
    const november = JSON.parse((await v1!.read('all_runs_data.sums/2024-11.json')).toString('utf8'));
    expect(november.source).toBe(md5(NOVEMBER));
    expect(november.days[0].slice(0, 6)).toEqual(['alpha-team', '2024-11-05', 1, 0, 0, 80]);
    expect(entry(v1, 'all_runs_data.sums/2025-01.json')).toBeDefined();
    expect(entry(v1, 'all_runs_data/2025-01.csv')?.digest).not.toBe(
      entry(v0, 'all_runs_data/2025-01.csv')?.digest,
    );
  });
});
