// Issue #4: "Killed with SIGKILL at random points while publishing, a rerun reaches the same final state
// and no row of the dataset is lost." The job runs in a child process behind a counting proxy that kills
// it at an exact write (before the server sees it, or after the server applied it but before the job
// hears back); the server lives on in this process and a rerun then completes against it.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tablesRunId } from '../../src/product/publish/tables.js';
import type { IsoDate } from '../../src/product/shared/dates.js';
import { createPrng } from '../../src/world/local-wandb/http/faults.js';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { type Board, readBoard, rowKey } from '../helpers/board-state.js';
import { type Exchange, startJobProxy } from '../helpers/job-proxy.js';
import { CONFIG, SEED } from '../helpers/job-world.js';
import { API_KEY, startTestServer, tempDir } from '../helpers/local-wandb.js';
import { runCliCaptured } from '../helpers/run-cli.js';
import { spawnRunJob } from '../helpers/spawn-job.js';

const T = '2025-01-09' as IsoDate;
const TARGET = { entity: 'dash', project: 'board', artifact: 'all_runs_data', latestTag: 'latest' };
// The Python fork's layout. r1 is a stale row the fetch replaces (later logged_at wins); r9 belongs to a
// deleted run the fetch no longer sees: it must stay.
const PRIOR = `date,company_name,project,run_id,tags,created_at,updated_at,state,duration_hour,gpu_count,cpu_count,average_gpu_utilization,average_gpu_memory,max_gpu_utilization,max_gpu_memory,host_name,logged_at,run_exists
2025-01-08,alpha-team,llm,r0,[],2025-01-08T10:00:00.000000,2025-01-08T20:00:00.000000,finished,10.0,8,32,,,,,node-1,2025-01-09T00:15:00.000000,exists
2025-01-09,alpha-team,llm,r1,[],2025-01-09T09:00:00.000000,2025-01-09T12:00:00.000000,running,3.0,8,32,,,,,node-1,2025-01-09T12:15:00.000000,exists
2025-01-09,alpha-team,llm,r9,[],2025-01-09T10:00:00.000000,2025-01-09T11:00:00.000000,finished,1.0,8,32,,,,,node-3,2025-01-09T12:15:00.000000,deleted
`;
const PRIOR_KEYS = [
  '2025-01-08,alpha-team,llm,r0',
  '2025-01-09,alpha-team,llm,r1',
  '2025-01-09,alpha-team,llm,r9',
];
// Yesterday's Tables runs hold `latest`; the job must move it onto today's.
const yesterday = (name: string, tag: string) => ({
  entity: 'dash',
  project: 'board',
  name,
  displayName: 'Tables_2025-01-08',
  tags: [tag, 'latest'],
  createdAt: '2025-01-09T00:30:00',
  heartbeatAt: '2025-01-09T00:31:00',
  runInfo: null,
});
const KILL_SEED = {
  ...SEED,
  runs: [...SEED.runs, yesterday('y8overal', 'overall'), yesterday('y8alpha0', 'alpha')],
  artifacts: SEED.artifacts.map((a) => ({ ...a, files: { 'all_runs_data.csv': PRIOR } })),
};
// The rerun's clock (2025-01-10T03:00Z = 12:00 JST) stamps logged_at; r1, r3, r4 are worked out in
// run-job.test.ts (r1: 09:00–15:00 JST, utilisation (50 + 70) / 2, memory (20 + 30) / 2).
// The night's runs are the API key's user's (the server's viewer, `alpha-team`); the prior's rows have none.
const EXPECTED_ROWS = [
  '2025-01-09,alpha-team,llm,r1,[],2025-01-09T09:00:00.000000,2025-01-09T15:00:00.000000,finished,6.0,8,60.0,25.0,70.0,30.0,node-1,2025-01-10T12:00:00.000000,32,alpha-team,exists',
  '2025-01-09,alpha-team,llm,r3,[],2025-01-09T11:00:00.000000,2025-01-09T13:00:00.000000,finished,2.0,8,,,,,node-9,2025-01-10T12:00:00.000000,32,alpha-team,exists',
  '2025-01-09,alpha-team,llm,r4,[],2025-01-09T11:00:00.000000,2025-01-09T12:00:00.000000,finished,1.0,8,,,,,node-9,2025-01-10T12:00:00.000000,32,alpha-team,exists',
  '2025-01-08,alpha-team,llm,r0,[],2025-01-08T10:00:00.000000,2025-01-08T20:00:00.000000,finished,10.0,8,,,,,node-1,2025-01-09T00:15:00.000000,32,,exists',
  '2025-01-09,alpha-team,llm,r9,[],2025-01-09T10:00:00.000000,2025-01-09T11:00:00.000000,finished,1.0,8,,,,,node-3,2025-01-09T12:15:00.000000,32,,deleted',
].sort();
const EXPECTED_LATEST = [
  { name: tablesRunId(T, 'alpha'), tags: ['alpha'] },
  { name: tablesRunId(T, 'overall'), tags: ['overall'] },
];

type Phase = 'request' | 'response';
/**
 * Where to kill: the n-th (1-based) write of an operation. Runs are published concurrently, so two jobs
 * may interleave their writes differently; counting one operation's writes finds the same point in both.
 */
type At = { operation: string; n: number };
type KillPoint = { label: string; phase: Phase; at: (writes: readonly Exchange[]) => At };

const nth =
  (operation: string, n = 1) =>
  (): At => ({ operation, n });

/** The write at a 1-based index of the uninterrupted run, as the n-th write of its operation. */
function atWrite(writes: readonly Exchange[], index: number): At {
  const write = writes[index - 1];
  if (!write) throw new Error(`no write #${index}`);
  return {
    operation: write.operation,
    n: writes.slice(0, index).filter((w) => w.operation === write.operation).length,
  };
}

/** The 1-based write index of the n-th write of an operation. */
function writeIndexOf(writes: readonly Exchange[], at: At): number {
  const write = writes.filter((w) => w.operation === at.operation)[at.n - 1];
  if (write?.writeIndex === undefined) throw new Error(`no write #${at.n} of ${at.operation}`);
  return write.writeIndex;
}

// The publishing writes in order: UpsertBucket (the dataset run), CreateArtifact, CreateArtifactManifest,
// CreateArtifactFiles, upload (the CSV), CreateArtifactManifest, upload (the manifest), CommitArtifact,
// file_stream; then the Tables runs (overall, alpha) side by side, each UpsertBucket, CreateRunFiles, an
// upload per table and one for its page, and one file_stream; then UpsertBucket(tags) per older latest
// run, and the alert.
const NAMED: KillPoint[] = [
  {
    label: 'dataset CSV upload, before (a pending version without its file)',
    phase: 'request',
    at: nth('upload', 1),
  },
  {
    label: 'CommitArtifact, before (a pending version is left)',
    phase: 'request',
    at: nth('CommitArtifact'),
  },
  { label: 'CommitArtifact, after (committed, no tables yet)', phase: 'response', at: nth('CommitArtifact') },
  { label: 'first Tables run created, no tables in it', phase: 'response', at: nth('UpsertBucket', 2) },
  {
    label: 'first latest retag applied, the second not',
    phase: 'response',
    at: nth('UpsertBucket(tags)', 1),
  },
];
// Three more from a seeded PRNG anywhere in the publishing phase (first write .. last retag).
const random = createPrng(4);
const RANDOM: KillPoint[] = [1, 2, 3].map((k) => {
  const fraction = random();
  const phase: Phase = random() < 0.5 ? 'request' : 'response';
  return {
    label: `random #${k}: ${(fraction * 100).toFixed(0)} % into publishing, ${phase}`,
    phase,
    at: (writes) =>
      atWrite(
        writes,
        1 + Math.floor(fraction * writeIndexOf(writes, { operation: 'UpsertBucket(tags)', n: 2 })),
      ),
  };
});

describe('run killed with SIGKILL while publishing, then rerun', () => {
  let dir: string;
  let config: string;
  const servers: LocalWandb[] = [];
  let writes: Exchange[];
  let control: Board;

  async function freshServer(): Promise<LocalWandb> {
    const server = await startTestServer({ seed: join(dir, 'seed.json') });
    servers.push(server);
    return server;
  }
  const args = () => ['--config', config, '--start-date', T, '--end-date', T];
  const rerun = (url: string) =>
    runCliCaptured(['run', ...args()], {
      env: { WANDB_BASE_URL: url, WANDB_API_KEY: API_KEY },
    });

  beforeAll(async () => {
    dir = await tempDir('run-sigkill-');
    config = join(dir, 'config.yaml');
    await writeFile(config, CONFIG);
    await writeFile(join(dir, 'seed.json'), JSON.stringify(KILL_SEED));
    // The uninterrupted run: its writes locate the kill points, its end state is the reference.
    const server = await freshServer();
    const proxy = await startJobProxy(server.url);
    const result = await rerun(proxy.url);
    await proxy.close();
    expect(result.code, result.stderr).toBe(0);
    writes = proxy.exchanges.filter((e) => e.writeIndex !== undefined);
    control = await readBoard(server.url, API_KEY, TARGET);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('the uninterrupted run gives the hand-computed dataset and moves latest to its Tables runs', () => {
    expect(control.versions).toHaveLength(2);
    expect(control.latestVersion).toBe(1);
    expect(control.versions[1]?.slice(1).sort()).toEqual(EXPECTED_ROWS);
    expect(control.latest).toEqual(EXPECTED_LATEST);
    // The Tables each run logs, and its dashboard page.
    expect(EXPECTED_LATEST.map((l) => Object.keys(control.tables[l.name]?.summary ?? {}).sort())).toEqual([
      [
        'company_daily_gpu_usage',
        'company_daily_gpu_usage_within_30days',
        'company_dashboard',
        'company_summary',
        'company_user_usage',
        'company_weekly_gpu_usage',
        'company_weekly_gpu_usage_within_4weeks',
      ],
      [
        'allocation_outlook',
        'daily_gpu_usage',
        'dashboard',
        'monthly_gpu_usage',
        'overall_gpu_usage',
        'weekly_gpu_usage',
      ],
    ]);
    expect(EXPECTED_LATEST.map((l) => control.tables[l.name]?.state)).toEqual(['finished', 'finished']);
  });

  it('writes the Tables runs side by side, each at the protocol floor: one upsert, one CreateRunFiles, one upload per file, one file-stream post', () => {
    const variables = (w: Exchange) =>
      (JSON.parse(w.text) as { variables: Record<string, unknown> }).variables;
    let files = 0;
    for (const { name } of EXPECTED_LATEST) {
      const of = (operation: string, isRun: (w: Exchange) => boolean) =>
        writes.filter((w) => w.operation === operation && isRun(w));
      expect(
        of('UpsertBucket', (w) => variables(w).name === name),
        name,
      ).toHaveLength(1);
      const created = of('CreateRunFiles', (w) => variables(w).run === name);
      expect(created, name).toHaveLength(1);
      files += (variables(created[0]!).files as string[]).length;
      expect(
        of('file_stream', (w) => w.url.endsWith(`/${name}/file_stream`)),
        name,
      ).toHaveLength(1);
    }
    // Besides the Tables files, the dataset version's CSV, its sums file and its manifest.
    expect(writes.filter((w) => w.operation === 'upload')).toHaveLength(files + 3);
    // Side by side: every Tables run was created before the first of them ended.
    const names = new Set(EXPECTED_LATEST.map((l) => l.name));
    const created = writes.filter(
      (w) => w.operation === 'UpsertBucket' && names.has(String(variables(w).name)),
    );
    const firstEnd = writes.findIndex(
      (w) => w.operation === 'file_stream' && [...names].some((n) => w.url.endsWith(`/${n}/file_stream`)),
    );
    expect(Math.max(...created.map((w) => writes.indexOf(w)))).toBeLessThan(firstEnd);
  });

  // Each case has its own server, proxy and child, so they run side by side, two at a time (2 cores).
  const lane = pLimit(2);
  it.concurrent.for([...NAMED, ...RANDOM])('killed at $label', { timeout: 120_000 }, (point, { expect }) =>
    lane(async () => {
      const server = await freshServer();
      const at = point.at(writes);
      const seen = new Map<Exchange, number>();
      let count = 0;
      let isKilled = false;
      let kill = () => {};
      const onPhase = (phase: Phase) => (exchange: Exchange) => {
        // The exchange's ordinal among writes of its operation, fixed when its request arrives.
        if (phase === 'request' && exchange.operation === at.operation) seen.set(exchange, ++count);
        if (!isKilled && seen.get(exchange) === at.n && phase === point.phase) {
          isKilled = true;
          kill();
        }
        return isKilled ? 'hang' : 'go';
      };
      const proxy = await startJobProxy(server.url, {
        onRequest: onPhase('request'),
        onResponse: onPhase('response'),
      });
      // Half an hour before the rerun: the rerun's rows replace whatever the killed run committed.
      const job = spawnRunJob(args(), {
        baseUrl: proxy.url,
        apiKey: API_KEY,
        now: '2025-01-10T02:30:00Z',
      });
      kill = () => job.child.kill('SIGKILL');
      const exit = await job.exited;
      await proxy.close();
      expect(exit.isHung, exit.stderr).toBe(false);
      expect(exit.signal, exit.stderr).toBe('SIGKILL');
      expect(count, `${at.operation} #${at.n} was reached`).toBeGreaterThanOrEqual(at.n);
      // Publish first, retag after: wherever the job died, the dashboard still has a latest run per tag.
      const killed = await readBoard(server.url, API_KEY, TARGET);
      expect(new Set(killed.latest.flatMap((l) => l.tags))).toEqual(new Set(['alpha', 'overall']));

      const result = await rerun(server.url);
      expect(result.code, result.stderr).toBe(0);
      const board = await readBoard(server.url, API_KEY, TARGET);
      // No committed version, the killed run's included, ever lost a prior row.
      for (const version of board.versions) {
        expect(version.slice(1).map(rowKey)).toEqual(expect.arrayContaining(PRIOR_KEYS));
      }
      expect(board.latestVersion).toBe(board.versions.length - 1);
      expect(board.versions.at(-1)?.slice(1).sort()).toEqual(EXPECTED_ROWS);
      expect(board.versions.at(-1)).toEqual(control.versions.at(-1));
      expect(board.latest).toEqual(EXPECTED_LATEST);
      expect(board.tables).toEqual(control.tables);
    }),
  );
});
