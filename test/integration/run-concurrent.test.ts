// Issue #4: "A backfill and a daily run at the same time: the final dataset holds both runs' rows."
// Both jobs run in this process, each with its own client and its own proxy in front of one server.
// The proxies hold chosen requests until the other job has reached a point, so each interleaving of
// docs/behaviour.md §5's concurrent writer (and of the §7 retag) happens for certain; the last cases let the two race freely.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { type Board, readBoard, rowKey } from '../helpers/board-state.js';
import { fixedClock } from '../helpers/fakes.js';
import { type Exchange, type ProxyHooks, startJobProxy } from '../helpers/job-proxy.js';
import { API_KEY, startTestServer, tempDir } from '../helpers/local-wandb.js';
import { runCliCaptured } from '../helpers/run-cli.js';

const TARGET = { entity: 'dash', project: 'board', artifact: 'all_runs_data', latestTag: 'latest' };
const CONFIG = `
timezone: Asia/Tokyo
dashboard: { entity: dash, project: board, tag_for_latest: latest }
dataset: { entity: dash, project: board, artifact_name: all_runs_data }
companies:
  - company: alpha
    teams: [alpha-team]
    schedule: [{ date: "2025-01-01", assigned_gpu_node: 1 }]
`;
// The Python original's 16 columns. b1 is stale (the backfill replaces it); r0 is outside both ranges.
const PRIOR = `date,company_name,project,run_id,tags,created_at,updated_at,state,duration_hour,gpu_count,average_gpu_utilization,average_gpu_memory,max_gpu_utilization,max_gpu_memory,host_name,logged_at
2025-01-05,alpha-team,llm,r0,[],2025-01-05T10:00:00.000000,2025-01-05T14:00:00.000000,finished,4.0,8,,,,,node-1,2025-01-06T00:15:00.000000
2025-01-06,alpha-team,llm,b1,[],2025-01-06T10:00:00.000000,2025-01-06T11:00:00.000000,running,1.0,8,,,,,node-1,2025-01-06T11:00:00.000000
`;
const run = (name: string, host: string, createdAt: string, heartbeatAt: string) => ({
  entity: 'alpha-team',
  project: 'llm',
  name,
  host,
  createdAt,
  heartbeatAt,
  runInfo: { gpu: 'NVIDIA H100 80GB HBM3', gpuCount: 8, cpuCount: 32 },
});
// Tables runs of an earlier day hold `latest`: whichever job retags must take it off them.
const earlier = (name: string, tag: string) => ({
  entity: 'dash',
  project: 'board',
  name,
  displayName: 'Tables_2025-01-05',
  tags: [tag, 'latest'],
  createdAt: '2025-01-06T00:30:00',
  heartbeatAt: '2025-01-06T00:31:00',
  runInfo: null,
});
const SEED = {
  entities: [{ name: 'alpha-team' }, { name: 'dash' }],
  projects: [
    { entity: 'alpha-team', name: 'llm', createdAt: '2025-01-01T00:00:00' },
    { entity: 'dash', name: 'board', createdAt: '2025-01-01T00:00:00' },
  ],
  runs: [
    run('b1', 'node-1', '2025-01-06T01:00:00', '2025-01-06T03:00:00'), // 10:00–12:00 JST Jan 6
    run('b2', 'node-2', '2025-01-07T01:00:00', '2025-01-07T05:00:00'), // 10:00–14:00 JST Jan 7
    run('d1', 'node-1', '2025-01-09T00:00:00', '2025-01-09T06:00:00'), // 09:00–15:00 JST Jan 9
    earlier('e5overal', 'overall'),
    earlier('e5alpha0', 'alpha'),
  ],
  artifacts: [
    {
      entity: 'dash',
      project: 'board',
      name: 'all_runs_data',
      type: 'dataset',
      files: { 'all_runs_data.csv': PRIOR },
    },
  ],
};

type Job = { name: 'daily' | 'backfill' | 'idle'; range: [string, string]; now: string };
// The daily job starts at 12:00 JST, the backfill at 13:00: their logged_at tell their rows apart.
const DAILY: Job = { name: 'daily', range: ['2025-01-09', '2025-01-09'], now: '2025-01-10T03:00:00Z' };
const BACKFILL: Job = { name: 'backfill', range: ['2025-01-06', '2025-01-08'], now: '2025-01-10T04:00:00Z' };
// The next nightly run: no run touches Jan 10, so it fetches no rows.
const IDLE: Job = { name: 'idle', range: ['2025-01-10', '2025-01-10'], now: '2025-01-11T03:00:00Z' };

const HEADER =
  'date,company_name,project,run_id,tags,created_at,updated_at,state,duration_hour,gpu_count,average_gpu_utilization,average_gpu_memory,max_gpu_utilization,max_gpu_memory,host_name,logged_at,cpu_count,username';
// Rows end with their username: the prior's are empty (no W&B user), the seeded runs are the API key's
// user's (the server's viewer, `alpha-team`).
const PRIOR_ROWS = [
  '2025-01-05,alpha-team,llm,r0,[],2025-01-05T10:00:00.000000,2025-01-05T14:00:00.000000,finished,4.0,8,,,,,node-1,2025-01-06T00:15:00.000000,,',
];
const DAILY_ROWS = [
  '2025-01-09,alpha-team,llm,d1,[],2025-01-09T09:00:00.000000,2025-01-09T15:00:00.000000,finished,6.0,8,,,,,node-1,2025-01-10T12:00:00.000000,32,alpha-team',
];
const BACKFILL_ROWS = [
  '2025-01-06,alpha-team,llm,b1,[],2025-01-06T10:00:00.000000,2025-01-06T12:00:00.000000,finished,2.0,8,,,,,node-1,2025-01-10T13:00:00.000000,32,alpha-team',
  '2025-01-07,alpha-team,llm,b2,[],2025-01-07T10:00:00.000000,2025-01-07T14:00:00.000000,finished,4.0,8,,,,,node-2,2025-01-10T13:00:00.000000,32,alpha-team',
];
const STALE_B1 =
  '2025-01-06,alpha-team,llm,b1,[],2025-01-06T10:00:00.000000,2025-01-06T11:00:00.000000,running,1.0,8,,,,,node-1,2025-01-06T11:00:00.000000,,';
const UNION = [...PRIOR_ROWS, ...DAILY_ROWS, ...BACKFILL_ROWS].sort();
/** The dataset when only that job has merged onto the prior. */
const ALONE = {
  daily: [...PRIOR_ROWS, STALE_B1, ...DAILY_ROWS].sort(),
  backfill: [...PRIOR_ROWS, ...BACKFILL_ROWS].sort(),
};
const PRIOR_KEYS = ['2025-01-05,alpha-team,llm,r0', '2025-01-06,alpha-team,llm,b1'];
// One run per tag keeps `latest`: a run of the newest date (`check` wants Tables_<yesterday>, so the
// daily's date), whose tables were computed from the final dataset version, whichever job committed last.
const DAILY_T = '2025-01-09';
const IDLE_T = '2025-01-10';

/** A promise opened from outside; waiting on it fails after a while instead of hanging the test. */
function gate(label: string) {
  let open = () => {};
  const opened = new Promise<void>((done) => {
    open = done;
  });
  const wait = () =>
    new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`gate never opened: ${label}`)), 20_000);
      void opened.then(() => {
        clearTimeout(timer);
        done();
      });
    });
  return { open, wait };
}

/** Runs `hook` on the n-th request of an operation, or the n-th matching request (reads count too). */
function on(match: string | ((exchange: Exchange) => boolean), n: number, hook: () => void | Promise<void>) {
  const isMatch = typeof match === 'string' ? (e: Exchange) => e.operation === match : match;
  let seen = 0;
  return async (exchange: Exchange) => {
    if (isMatch(exchange) && ++seen === n) await hook();
    return 'go' as const;
  };
}

/** A Runs query filtered on the latest tag: the retag step's listing (the tracker's filters on dates). */
function isLatestFilter(body: string): boolean {
  const filters = (JSON.parse(body) as { variables?: { filters?: unknown } }).variables?.filters;
  return typeof filters === 'string' && filters.includes('"latest"');
}

describe('a backfill and a daily run at the same time', () => {
  let dir: string;
  const servers: LocalWandb[] = [];
  beforeAll(async () => {
    dir = await tempDir('run-concurrent-');
    await writeFile(join(dir, 'config.yaml'), CONFIG);
    await writeFile(join(dir, 'seed.json'), JSON.stringify(SEED));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  async function startServer(latencyMs = 0): Promise<LocalWandb> {
    const server = await startTestServer({ seed: join(dir, 'seed.json'), latencyMs });
    servers.push(server);
    return server;
  }

  /** One `run` in this process, through its own proxy; returns its run-report's dataset part and log events. */
  async function runJob(url: string, job: Job, label: string, hooks: ProxyHooks = {}) {
    const proxy = await startJobProxy(url, hooks);
    const out = join(dir, label, job.name);
    const [start, end] = job.range;
    const result = await runCliCaptured(
      ['run', '--config', join(dir, 'config.yaml'), '--start-date', start, '--end-date', end, '--out', out],
      { env: { WANDB_BASE_URL: proxy.url, WANDB_API_KEY: API_KEY }, clock: fixedClock(job.now) },
    );
    await proxy.close();
    expect(result.code, `${job.name}: ${result.stderr}`).toBe(0);
    const report = JSON.parse(await readFile(join(out, 'run-report.json'), 'utf8')) as {
      dataset: { version: number; attempts: number };
    };
    const events = result.stderr
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { event: string }).event);
    return { ...report.dataset, events };
  }

  async function runBoth(label: string, hooks: Partial<Record<Job['name'], ProxyHooks>>, latencyMs = 0) {
    const server = await startServer(latencyMs);
    const [daily, backfill] = await Promise.all(
      [DAILY, BACKFILL].map((job) => runJob(server.url, job, label, hooks[job.name])),
    );
    return { daily: daily!, backfill: backfill!, board: await readBoard(server.url, API_KEY, TARGET) };
  }

  /**
   * Both runs' rows under `latest`, no prior row lost in any version, one latest run per tag showing the
   * newest date computed from the final version.
   */
  function expectEndState(board: Board, newest = DAILY_T) {
    const final = board.versions.length - 1;
    expect(board.shown).toEqual([
      { tags: ['alpha'], target: newest, version: final },
      { tags: ['overall'], target: newest, version: final },
    ]);
    expect(board.latestVersion).toBe(board.versions.length - 1);
    expect(board.versions.at(-1)?.[0]).toBe(HEADER);
    expect(board.versions.at(-1)?.slice(1).sort()).toEqual(UNION);
    for (const version of board.versions) {
      expect(version.slice(1).map(rowKey)).toEqual(expect.arrayContaining(PRIOR_KEYS));
    }
  }

  describe.each([
    { leader: 'daily', follower: 'backfill' },
    { leader: 'backfill', follower: 'daily' },
  ] as const)('$leader commits first, $follower has to merge', ({ leader, follower }) => {
    it(`${follower} sees latest move at its pre-commit check and merges before committing`, async () => {
      // The follower reads the prior v0, then waits at its pre-commit check until the leader has committed.
      const checking = gate(`${follower} at its pre-commit check`);
      const committed = gate(`${leader} committed`);
      const { board, ...jobs } = await runBoth(`pre-${follower}`, {
        [leader]: {
          onRequest: on('CreateArtifact', 1, checking.wait),
          onResponse: on('CommitArtifact', 1, committed.open),
        },
        [follower]: {
          onRequest: on('ArtifactVersion', 1, async () => {
            checking.open();
            await committed.wait();
          }),
        },
      });
      expect(jobs[leader]).toMatchObject({ version: 1, attempts: 1 });
      expect(jobs[follower]).toMatchObject({ version: 2, attempts: 2 });
      expect(jobs[follower].events).toContain('uploader.latest_moved');
      expect(board.versions.slice(1).map((v) => v.slice(1).sort())).toEqual([ALONE[leader], UNION]);
      expectEndState(board);
    });

    it(`${follower} commits just after ${leader}, then folds ${leader}'s version in`, async () => {
      // Both pass their pre-commit check on v0; the leader commits, the follower right after.
      const arrived = {
        daily: gate('daily at CreateArtifact'),
        backfill: gate('backfill at CreateArtifact'),
      };
      const committed = gate(`${leader} committed`);
      const both = (name: 'daily' | 'backfill') => async () => {
        arrived[name].open();
        await Promise.all([arrived.daily.wait(), arrived.backfill.wait()]);
      };
      const followerAtCreate = on('CreateArtifact', 1, both(follower));
      const followerAtCommit = on('CommitArtifact', 1, committed.wait);
      const { board, ...jobs } = await runBoth(`post-${follower}`, {
        [leader]: {
          onRequest: on('CreateArtifact', 1, both(leader)),
          onResponse: on('CommitArtifact', 1, committed.open),
        },
        [follower]: {
          onRequest: async (exchange: Exchange) => {
            await followerAtCreate(exchange);
            return followerAtCommit(exchange);
          },
        },
      });
      expect(jobs[leader]).toMatchObject({ version: 1, attempts: 1 });
      expect(jobs[follower]).toMatchObject({ version: 3, attempts: 2 });
      expect(jobs[follower].events).toContain('uploader.concurrent_commit');
      // v1 and v2 each hold one job's rows over v0; v3 is the union.
      expect(board.versions.slice(1).map((v) => v.slice(1).sort())).toEqual([
        ALONE[leader],
        ALONE[follower],
        UNION,
      ]);
      expectEndState(board);
    });
  });

  it('retagging at the same time, they still leave one latest run per tag', async () => {
    // Each job lists the latest runs only once both have published theirs: each sees the other's.
    const listed = { daily: gate('daily listing latest'), backfill: gate('backfill listing latest') };
    const both = (name: 'daily' | 'backfill') =>
      on(
        (e) => e.operation === 'Runs' && isLatestFilter(e.text),
        1,
        async () => {
          listed[name].open();
          await Promise.all([listed.daily.wait(), listed.backfill.wait()]);
        },
      );
    const { board } = await runBoth('retag', {
      daily: { onRequest: both('daily') },
      backfill: { onRequest: both('backfill') },
    });
    expectEndState(board);
  });

  it("a run with nothing to add, deduplicated onto the version it read, leaves latest on the backfill's rows", async () => {
    // The daily has written v1. The next day has no runs, so that job's merge is v1 byte for byte; it
    // passes its pre-commit check, then the backfill commits v2 before the idle job's write is deduplicated.
    const server = await startServer();
    await runJob(server.url, DAILY, 'idle-before');
    const idleWriting = gate('idle job at CreateArtifact');
    const backfillCommitted = gate('backfill committed');
    const [idle] = await Promise.all([
      runJob(server.url, IDLE, 'idle', {
        onRequest: on('CreateArtifact', 1, async () => {
          idleWriting.open();
          await backfillCommitted.wait();
        }),
      }),
      runJob(server.url, BACKFILL, 'idle', {
        onRequest: on('CreateArtifact', 1, idleWriting.wait),
        onResponse: on('CommitArtifact', 1, backfillCommitted.open),
      }),
    ]);
    const board = await readBoard(server.url, API_KEY, TARGET);
    // The union is v2 byte for byte (v1 plus the backfill's rows), so the idle job's second write dedupes onto it.
    expect(idle).toMatchObject({ version: 2, attempts: 2 });
    expect(idle.events).toContain('uploader.latest_moved');
    expect(board.versions.slice(1).map((v) => v.slice(1).sort())).toEqual([ALONE.daily, UNION]);
    expectEndState(board, IDLE_T);
  });

  it('a job that committed first but publishes last brings the newest tables up to the later version', async () => {
    // The daily commits v1 and then stalls before publishing; the backfill commits v2 and finishes while no
    // Tables_2025-01-09 run exists yet, so only the daily can see that its tables lack the backfill's rows.
    const server = await startServer();
    const dailyCommitted = gate('daily committed');
    let backfillDone = () => {};
    const backfillFinished = new Promise<void>((done) => {
      backfillDone = done;
    });
    const daily = runJob(server.url, DAILY, 'late-publisher', {
      // Every Tables run is held at its creation (the runs are published side by side; the first
      // UpsertBucket created the dataset-writing run), so none exists before the backfill has finished.
      onRequest: async (exchange) => {
        if (exchange.operation === 'UpsertBucket' && exchange.text.includes('"Tables_'))
          await backfillFinished;
        return 'go' as const;
      },
      onResponse: on('CommitArtifact', 1, dailyCommitted.open),
    });
    // Held at its write until the daily has committed: the backfill folds v1 in and commits the union last.
    const backfill = await runJob(server.url, BACKFILL, 'late-publisher', {
      onRequest: on('CreateArtifact', 1, dailyCommitted.wait),
    });
    backfillDone();
    const { events, version } = await daily;
    expect(backfill.version).toBeGreaterThan(version);
    expect(events).toContain('calculator.newest_recomputed');
    expectEndState(await readBoard(server.url, API_KEY, TARGET));
  });

  it.each([1, 2, 3])('racing freely (round %i), both jobs still end with the union', async (round) => {
    const { board } = await runBoth(`free-${round}`, {}, 2);
    expectEndState(board);
  });
});
