import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventRows,
  fetchEvents,
  fetchEventsBatch,
  listProjects,
  listProjectsOfEntities,
  listRuns,
  listRunsOfProjects,
  planEventBatches,
  runExists,
} from '../../../src/product/wandb/runs.js';
import { seedRun, startSeeded, testClient } from '../../helpers/wandb.js';

const E = 'team';
const day = (d: number, h = 0) => `2024-10-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00`;
const events = (run: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    _wandb: true,
    _timestamp: 1_727_740_800 + i * 60,
    'system.gpu.0.gpu': run * 10 + i,
  }));

describe('read side', () => {
  let server: Awaited<ReturnType<typeof startSeeded>>;
  beforeAll(async () => {
    const many = Array.from({ length: 23 }, (_, i) =>
      seedRun(E, 'many', `m${String(i).padStart(7, '0')}`, day(1 + (i % 20), 1), day(1 + (i % 20), 3)),
    );
    const dated = [
      seedRun(E, 'dated', 'early', day(1), day(2), { updatedAt: day(2) }),
      seedRun(E, 'dated', 'middle', day(10), day(20), { updatedAt: day(20) }),
      seedRun(E, 'dated', 'late', day(25), day(26), { updatedAt: day(26) }),
    ];
    const metered = Array.from({ length: 7 }, (_, i) =>
      seedRun(E, 'metered', `e${i}`, day(1), day(2), {
        systemMetrics: events(i, 5 + i),
        runInfo: { gpu: 'H100', gpuCount: 8, cpuCount: 64 },
        config: { lr: { value: 0.1 } },
        summaryMetrics: { loss: 0.5 },
        tags: ['a', 'b'],
        host: 'node-1',
      }),
    );
    const projects = Array.from({ length: 203 }, (_, i) => ({
      entity: 'wide',
      name: `p${String(i).padStart(3, '0')}`,
    }));
    server = await startSeeded({
      entities: [{ name: E }, { name: 'wide' }],
      projects,
      runs: [...many, ...dated, ...metered],
    });
  });
  afterAll(() => server.close());

  it('lists every project across pages of 200, and [] for an unknown entity', async () => {
    const client = testClient(server.url);
    const projects = await listProjects(client, 'wide');
    expect(projects).toHaveLength(203);
    expect(projects[0]).toEqual({ name: 'p000', createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(await listProjects(client, 'nobody')).toEqual([]);
    expect(client.requestCounts().Projects).toBe(3);
  });

  it('pages runs with endCursor until hasNextPage is false', async () => {
    const client = testClient(server.url);
    const runs = await listRuns(client, { entity: E, project: 'many', perPage: 5 });
    expect(runs).toHaveLength(23);
    expect(new Set(runs.map((r) => r.name)).size).toBe(23);
    expect(client.requestCounts()).toEqual({ Runs: 5 });
  });

  it('maps run nodes: parsed config and summary, runInfo, tags', async () => {
    const client = testClient(server.url);
    const [run] = await listRuns(client, {
      entity: E,
      project: 'metered',
      filters: { name: { $in: ['e2'] } },
    });
    expect(run).toMatchObject({
      name: 'e2',
      state: 'finished',
      tags: ['a', 'b'],
      host: 'node-1',
      createdAt: '2024-10-01T00:00:00',
      heartbeatAt: '2024-10-02T00:00:00',
      runInfo: { gpu: 'H100', gpuCount: 8, cpuCount: 64 },
      config: { lr: { value: 0.1 } },
      summaryMetrics: { loss: 0.5 },
    });
    expect(typeof run?.id).toBe('string');
  });

  it('filters on createdAt and updatedAt server-side', async () => {
    const client = testClient(server.url);
    const names = async (filters: object) =>
      (await listRuns(client, { entity: E, project: 'dated', filters })).map((r) => r.name).sort();
    expect(await names({ createdAt: { $gte: day(5) } })).toEqual(['late', 'middle']);
    expect(await names({ createdAt: { $lt: day(10) } })).toEqual(['early']);
    expect(await names({ updatedAt: { $gte: day(15) } })).toEqual(['late', 'middle']);
    expect(
      await names({ $and: [{ createdAt: { $lte: day(24) } }, { updatedAt: { $gte: day(3) } }] }),
    ).toEqual(['middle']);
  });

  it('a missing project gives [] and runExists false', async () => {
    const client = testClient(server.url);
    expect(await listRuns(client, { entity: E, project: 'nosuch' })).toEqual([]);
    expect(await runExists(client, E, 'nosuch', 'x')).toBe(false);
    expect(await runExists(client, E, 'dated', 'nosuch')).toBe(false);
    expect(await runExists(client, E, 'dated', 'early')).toBe(true);
  });

  it('fetches events of many runs in ceil(n / batchSize) requests, a missing run as []', async () => {
    const client = testClient(server.url);
    const runs = ['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'ghost'];
    const result = await fetchEvents(client, {
      entity: E,
      project: 'metered',
      runs,
      samples: 100,
      batchSize: 3,
    });
    expect(client.requestCounts()).toEqual({ RunEventsBatch: 3 });
    expect([...result.keys()]).toEqual(runs);
    for (let i = 0; i < 7; i += 1) expect(result.get(`e${i}`)).toEqual(events(i, 5 + i));
    expect(result.get('ghost')).toEqual([]);
    const sampled = await fetchEvents(client, { entity: E, project: 'metered', runs: ['e6'], samples: 3 });
    expect(sampled.get('e6')?.map((r) => r['system.gpu.0.gpu'])).toEqual([60, 65, 70]);
    const none = await fetchEvents(client, { entity: E, project: 'nosuch', runs: ['a'], samples: 10 });
    expect(none.get('a')).toEqual([]);
  });

  it('falls back to one run per request when a batch is rejected', async () => {
    // Stand-in for a W&B that refuses the aliased form: the batch query answers 400, as validation errors do.
    const rejectBatches: typeof fetch = async (input, init) => {
      if (typeof init?.body === 'string' && init.body.includes('RunEventsBatch')) {
        return new Response(JSON.stringify({ errors: [{ message: 'query too complex' }] }), {
          status: 400,
          headers: { 'Content-Type': 'application/json' },
        });
      }
      return fetch(input, init);
    };
    const client = testClient(server.url, { fetch: rejectBatches });
    const result = await fetchEvents(client, {
      entity: E,
      project: 'metered',
      runs: ['e0', 'e1', 'e2'],
      samples: 100,
    });
    expect(result.get('e1')).toEqual(events(1, 6));
    // Halved: [e0, e1] is refused too, then each run alone in the plain form.
    expect(client.requestCounts()).toEqual({ RunEventsBatch: 2, RunFullHistory: 3 });
  });

  it('splits a batch that keeps failing with 500 down to the one run whose history W&B cannot load', async () => {
    const broken = await startSeeded(
      {
        entities: [{ name: E }],
        runs: Array.from({ length: 7 }, (_, i) =>
          seedRun(E, 'metered', `e${i}`, day(1), day(2), { systemMetrics: events(i, 3) }),
        ),
      },
      { failingHistory: ['e3'] },
    );
    try {
      const client = testClient(broken.url, { maxRetries: 1 });
      const batch = Array.from({ length: 7 }, (_, i) => ({ entity: E, project: 'metered', run: `e${i}` }));
      const answers = await fetchEventsBatch(client, batch, 100);
      expect(answers.map((a) => [...eventRows(a.lines)])).toEqual(
        [0, 1, 2, -1, 4, 5, 6].map((i) => (i < 0 ? [] : events(i, 3))),
      );
      expect(answers.map((a) => a.error?.name)).toEqual([
        undefined,
        undefined,
        undefined,
        'WandbHttpError',
        undefined,
        undefined,
        undefined,
      ]);
      expect(answers[3]?.error?.message).toContain('HTTP 500');
      // Batches tried: e0–e6, e0–e3, e4–e6, e0–e1, e2–e3 (each failing one twice: one retry); then e2 and e3
      // alone (e3 twice).
      expect(client.requestCounts()).toEqual({ RunEventsBatch: 2 + 2 + 1 + 1 + 2, RunFullHistory: 1 + 2 });
    } finally {
      await broken.close();
    }
  });

  it('lets an auth failure of a batch stop the job instead of splitting it', async () => {
    const client = testClient(server.url, { apiKey: 'wrong-key-0123456789012345678901234567890' });
    await expect(
      fetchEventsBatch(client, [{ entity: E, project: 'metered', run: 'e0' }], 10),
    ).rejects.toThrow(/rejected/);
    expect(client.requestCounts()).toEqual({ RunEventsBatch: 1 });
  });
  it('lists the projects of several entities in one aliased request, each paged on its own', async () => {
    const client = testClient(server.url);
    const [team, wide, nobody] = await listProjectsOfEntities(client, [E, 'wide', 'nobody']);
    expect(team?.map((p) => p.name).sort()).toEqual(['dated', 'many', 'metered']);
    expect(wide).toHaveLength(203);
    expect(new Set(wide?.map((p) => p.name)).size).toBe(203);
    expect(nobody).toEqual([]);
    // Round 1 holds all three; 'wide' alone goes on for its second page of 200.
    expect(client.requestCounts()).toEqual({ EntityProjects: 2 });
  });

  it('lists the runs of several projects with their own filters and cursors, in input order', async () => {
    const client = testClient(server.url);
    const [many, dated, missing, metered] = await listRunsOfProjects(
      client,
      [
        { entity: E, project: 'many' },
        { entity: E, project: 'dated', filters: { createdAt: { $gte: day(5) } } },
        { entity: E, project: 'nosuch' },
        { entity: E, project: 'metered', filters: { name: { $in: ['e2'] } } },
      ],
      { perPage: 10 },
    );
    expect(many?.map((r) => r.name)).toEqual(
      (await listRuns(client, { entity: E, project: 'many' })).map((r) => r.name),
    );
    expect(many).toHaveLength(23);
    expect(dated?.map((r) => r.name).sort()).toEqual(['late', 'middle']);
    expect(missing).toEqual([]);
    expect(metered?.[0]).toMatchObject({ name: 'e2', runInfo: { gpu: 'H100' }, eventsLineCount: 7 });
    // 'many' needs 3 pages of 10: one request per round.
    expect(client.requestCounts()).toEqual({ ProjectRuns: 3, Runs: 1 });
  });

  it('lists newest heartbeat first and stops paging a project at the first heartbeat before `from`', async () => {
    const client = testClient(server.url);
    // 'many' heartbeats: day(1..20) at 03:00, days 1–3 twice (23 runs). From day 15: 6 runs are newer.
    const from = Date.parse(`${day(15)}Z`);
    const [many, dated] = await listRunsOfProjects(
      client,
      [
        { entity: E, project: 'many', heartbeatFrom: from },
        { entity: E, project: 'dated', heartbeatFrom: Date.parse(`${day(30)}Z`) },
      ],
      { order: '-heartbeat_at', firstPage: 2, perPage: 8 },
    );
    const heartbeats = many?.map((r) => r.heartbeatAt) ?? [];
    expect(heartbeats).toEqual([...heartbeats].sort().reverse());
    // Pages of 2 then 8: the second page (runs 3–10) reaches day 13, so paging stops there.
    expect(many).toHaveLength(10);
    expect(heartbeats.slice(0, 6)).toEqual([
      day(20, 3),
      day(19, 3),
      day(18, 3),
      day(17, 3),
      day(16, 3),
      day(15, 3),
    ]);
    // Every heartbeat of 'dated' is before day 30: its first page ends it.
    expect(dated?.map((r) => r.name)).toEqual(['late', 'middle']);
    expect(client.requestCounts()).toEqual({ ProjectRuns: 2 });
  });

  it('plans batches of batchSize × samples sampled lines, at most 50 runs, unknown counts as full', () => {
    const run = (name: string, lines?: number | null) => ({ entity: E, project: 'p', run: name, lines });
    const names = (batches: { run: string }[][]) => batches.map((b) => b.map((r) => r.run));
    expect(names(planEventBatches([run('a'), run('b'), run('c')], { samples: 100, batchSize: 2 }))).toEqual([
      ['a', 'b'],
      ['c'],
    ]);
    // Budget 200 lines: 150 lines count as 100 (sampled), 0 as 1, unknown as 100: 100 + 50 | 60 + 1 + 100.
    expect(
      names(
        planEventBatches([run('a', 150), run('b', 50), run('c', 60), run('d', 0), run('e', null)], {
          samples: 100,
          batchSize: 2,
        }),
      ),
    ).toEqual([
      ['a', 'b'],
      ['c', 'd', 'e'],
    ]);
    const short = Array.from({ length: 120 }, (_, i) => run(`s${i}`, 1));
    expect(planEventBatches(short, { samples: 1000 }).map((b) => b.length)).toEqual([50, 50, 20]);
  });

  it('fetches the events of runs of several projects in one request, missing ones as []', async () => {
    const client = testClient(server.url);
    const result = await fetchEventsBatch(
      client,
      [
        { entity: E, project: 'metered', run: 'e1' },
        { entity: E, project: 'many', run: 'm0000000' },
        { entity: E, project: 'nosuch', run: 'x' },
        { entity: E, project: 'metered', run: 'e3' },
        { entity: E, project: 'metered', run: 'ghost' },
      ],
      100,
    );
    expect(result.map((a) => ({ rows: [...eventRows(a.lines)], error: a.error }))).toEqual(
      [events(1, 6), [], [], events(3, 8), []].map((rows) => ({ rows, error: undefined })),
    );
    expect(client.requestCounts()).toEqual({ RunEventsBatch: 1 });
  });
  it('sends a refused aliased listing again one project per request', async () => {
    // Stand-in for a W&B that refuses several aliased connections in one query (as a validation error).
    const rejectWide: typeof fetch = async (input, init) => {
      if (typeof init?.body === 'string' && init.body.includes('ProjectRuns') && init.body.includes('q1:')) {
        return new Response(JSON.stringify({ errors: [{ message: 'query too complex' }] }), {
          status: 400,
          headers: { 'Content-Type': 'application/json' },
        });
      }
      return fetch(input, init);
    };
    const client = testClient(server.url, { fetch: rejectWide });
    const [dated, metered] = await listRunsOfProjects(client, [
      { entity: E, project: 'dated' },
      { entity: E, project: 'metered' },
    ]);
    expect(dated).toHaveLength(3);
    expect(metered).toHaveLength(7);
    expect(client.requestCounts()).toEqual({ ProjectRuns: 3 });
  });
});
