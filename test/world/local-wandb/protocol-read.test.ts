import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, gql, gqlData, startTestServer, tempDir } from '../../helpers/local-wandb.js';
import { ENTITY, EVENTS, fixture, writeSeed } from '../../helpers/seed-fixture.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
type RunsData = {
  project: {
    runCount: number;
    runs: {
      edges: { cursor: string; node: Record<string, unknown> }[];
      pageInfo: { endCursor: string | null; hasNextPage: boolean };
    };
  } | null;
};

// Read side of docs/wandb-protocol.md §1–docs/wandb-protocol.md §5, pinned with the Python SDK's own documents (test/fixtures/wandb-sdk-graphql/).
describe('local W&B: reads', () => {
  let server: Server;
  beforeAll(async () => {
    const dir = await tempDir();
    server = await startTestServer({ seed: await writeSeed(dir) });
  });
  afterAll(async () => {
    await server.close();
  });

  const runs = (variables: Record<string, unknown>) =>
    gqlData<RunsData>(server.url, fixture('runs'), { project: 'gpu-info-llm', entity: ENTITY, ...variables });
  const names = (data: RunsData) => data.project?.runs.edges.map((e) => e.node.name);

  it('answers 401 without the key or with a wrong one, and ignores the Basic user name', async () => {
    expect((await gql(server.url, '{ viewer { entity } }', {}, { key: null })).status).toBe(401);
    expect((await gql(server.url, '{ viewer { entity } }', {}, { key: 'wrong' })).status).toBe(401);
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`user:${API_KEY}`).toString('base64')}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ query: '{ viewer { entity } }' }),
    });
    expect(res.status).toBe(200);
  });

  it('serves the Viewer query on /graphql and //graphql as application/json', async () => {
    const query = 'query Viewer { viewer { id entity flags teams { edges { node { name } } } } }';
    for (const path of ['/graphql', '//graphql']) {
      const res = await gql(server.url, query, {}, { path, operationName: 'Viewer' });
      expect(res.status).toBe(200);
      expect(res.contentType).toMatch(/^application\/json/);
      expect(res.body.data).toEqual({
        viewer: {
          id: expect.any(String),
          entity: ENTITY,
          flags: '{}',
          teams: { edges: [{ node: { name: 'geniac-gpu' } }] },
        },
      });
    }
  });

  it('lists projects with the Python Projects query and pages with cursors', async () => {
    type Page = {
      models: {
        edges: { cursor: string; node: Record<string, unknown> }[];
        pageInfo: { endCursor: string; hasNextPage: boolean };
      };
    };
    const first = await gqlData<Page>(server.url, fixture('projects'), {
      entity: ENTITY,
      cursor: null,
      perPage: 1,
    });
    expect(first.models.edges).toEqual([
      {
        cursor: expect.any(String),
        node: {
          id: expect.any(String),
          name: 'gpu-info-llm',
          entityName: ENTITY,
          createdAt: '2024-10-25T01:02:03',
          isBenchmark: false,
        },
      },
    ]);
    expect(first.models.pageInfo.hasNextPage).toBe(true);
    const second = await gqlData<Page>(server.url, fixture('projects'), {
      entity: ENTITY,
      cursor: first.models.pageInfo.endCursor,
      perPage: 1,
    });
    expect(second.models.edges.map((e) => e.node.name)).toEqual(['second']);
    expect(second.models.pageInfo).toEqual({ endCursor: expect.any(String), hasNextPage: false });
  });

  it('returns every §4.2 run field, DateTime as UTC without Z, JSONString as strings', async () => {
    const data = await runs({ filters: JSON.stringify({ name: 'e5f6g7h8' }) });
    expect(data.project?.runs.edges[0]?.node).toEqual({
      id: expect.any(String),
      name: 'e5f6g7h8',
      displayName: 'run-2',
      state: 'crashed',
      tags: ['y'],
      host: 'node-02',
      createdAt: '2024-11-04T10:00:00',
      updatedAt: '2024-11-04T13:00:00',
      heartbeatAt: '2024-11-04T12:30:00',
      runInfo: null,
      config: '{}',
      summaryMetrics: '{}',
    });
    const one = await runs({ filters: JSON.stringify({ name: 'a1b2c3d4' }) });
    const node = one.project?.runs.edges[0]?.node ?? {};
    expect(node.runInfo).toEqual({ gpu: 'NVIDIA H100 80GB HBM3', gpuCount: 8, cpuCount: 96 });
    expect(JSON.parse(String(node.config))).toEqual({ num_nodes: { value: 2 } });
    expect(node.updatedAt).toBe('2024-11-03T05:00:00'); // seed updatedAt defaults to heartbeatAt
  });

  it('orders runs and pages through them with cursors', async () => {
    expect(names(await runs({ order: '+created_at' }))).toEqual(['a1b2c3d4', 'e5f6g7h8', 'i9j0k1l2']);
    expect(names(await runs({ order: '-created_at' }))).toEqual(['i9j0k1l2', 'e5f6g7h8', 'a1b2c3d4']);
    expect(names(await runs({ order: '-heartbeat_at' }))).toEqual(['i9j0k1l2', 'e5f6g7h8', 'a1b2c3d4']);
    const page1 = await runs({ order: '+created_at', perPage: 2, cursor: '' });
    expect(names(page1)).toEqual(['a1b2c3d4', 'e5f6g7h8']);
    expect(page1.project?.runs.pageInfo.hasNextPage).toBe(true);
    const page2 = await runs({
      order: '+created_at',
      perPage: 2,
      cursor: page1.project?.runs.pageInfo.endCursor,
    });
    expect(names(page2)).toEqual(['i9j0k1l2']);
    expect(page2.project?.runs.pageInfo.hasNextPage).toBe(false);
    expect(page2.project?.runCount).toBe(3);
  });

  it.each([
    [{ tags: { $in: ['latest'] } }, ['a1b2c3d4']],
    [{ tags: 'y' }, ['e5f6g7h8']],
    [{ name: { $in: ['a1b2c3d4', 'i9j0k1l2'] } }, ['a1b2c3d4', 'i9j0k1l2']],
    [{ state: 'finished' }, ['a1b2c3d4']],
    [{ createdAt: { $gte: '2024-11-04T10:00:00' } }, ['e5f6g7h8', 'i9j0k1l2']],
    [{ createdAt: { $gt: '2024-11-04T10:00:00Z' } }, ['i9j0k1l2']],
    [{ createdAt: { $lt: '2024-11-04T10:00:00.000Z' } }, ['a1b2c3d4']],
    [{ heartbeatAt: { $lte: '2024-11-04T12:30:00' } }, ['a1b2c3d4', 'e5f6g7h8']],
    [{ updatedAt: { $gt: '2024-11-04T12:59:59.5' } }, ['e5f6g7h8', 'i9j0k1l2']],
    [{ $or: [{ state: 'crashed' }, { tags: { $in: ['x'] } }] }, ['a1b2c3d4', 'e5f6g7h8']],
    [
      {
        $and: [{ createdAt: { $gte: '2024-11-04T00:00:00' } }, { createdAt: { $lt: '2024-11-05T00:00:00' } }],
      },
      ['e5f6g7h8'],
    ],
  ])('filters %j', async (filters, expected) => {
    const data = await runs({ order: '+created_at', filters: JSON.stringify(filters) });
    expect(names(data)).toEqual(expected);
    expect(data.project?.runCount).toBe(expected.length);
  });

  it('answers a malformed filter with HTTP 500, as W&B does for a float createdAt', async () => {
    const res = await gql(server.url, fixture('runs'), {
      project: 'gpu-info-llm',
      entity: ENTITY,
      filters: JSON.stringify({ createdAt: { $gt: 1730592900.5 } }),
    });
    expect(res.status).toBe(500);
    expect(res.body.errors?.[0]?.message).toMatch(/createdAt/);
  });

  it('answers data.project: null for a missing project and project.run: null for a missing run', async () => {
    const missing = await gql(server.url, fixture('runs'), { project: 'nope', entity: ENTITY });
    expect(missing.status).toBe(200);
    expect(missing.body).toEqual({ data: { project: null } });
    const run = await gql(server.url, fixture('run'), {
      project: 'gpu-info-llm',
      entity: ENTITY,
      name: 'zzzzzzzz',
    });
    expect(run.body).toEqual({ data: { project: { run: null } } });
  });

  it('reads one run with the Python Run query', async () => {
    const data = await gqlData(server.url, fixture('run'), {
      project: 'gpu-info-llm',
      entity: ENTITY,
      name: 'a1b2c3d4',
    });
    expect(data).toEqual({
      project: {
        run: {
          id: expect.any(String),
          name: 'a1b2c3d4',
          displayName: 'run-1',
          state: 'finished',
          tags: ['x', 'latest'],
          createdAt: '2024-11-03T00:15:00',
          heartbeatAt: '2024-11-03T05:00:00',
          config: '{"num_nodes":{"value":2}}',
          summaryMetrics: '{"loss":0.5}',
        },
      },
    });
  });

  it('returns every event line when samples >= count, else an even subsample keeping first and last', async () => {
    const events = async (samples: number) => {
      const data = await gqlData<{ project: { run: { events: string[] } } }>(
        server.url,
        fixture('run-full-history'),
        {
          project: 'gpu-info-llm',
          entity: ENTITY,
          name: 'a1b2c3d4',
          samples,
        },
      );
      return data.project.run.events.map(
        (line) => (JSON.parse(line) as Record<string, number>)['system.gpu.0.gpu'],
      );
    };
    expect(await events(100)).toEqual([10, 20, 30, 40, 50]);
    expect(await events(5)).toEqual([10, 20, 30, 40, 50]);
    // indices round(i * 4 / 2) for i = 0..2 → 0, 2, 4
    expect(await events(3)).toEqual([10, 30, 50]);
    expect(await events(2)).toEqual([10, 50]);
    const first = JSON.parse(
      (
        await gqlData<{ project: { run: { events: string[] } } }>(server.url, fixture('run-full-history'), {
          project: 'gpu-info-llm',
          entity: ENTITY,
          name: 'a1b2c3d4',
          samples: 1,
        })
      ).project.run.events[0] ?? '{}',
    );
    expect(first).toEqual(EVENTS[0]);
  });

  it('serves events per node inside runs{} and through aliases (§5.4)', async () => {
    const inConnection = await gqlData<RunsData>(
      server.url,
      `query { project(name: "gpu-info-llm", entityName: "${ENTITY}") {
        runs(filters: "{\\"name\\":{\\"$in\\":[\\"a1b2c3d4\\",\\"e5f6g7h8\\"]}}", first: 10, order: "+created_at") {
          edges { node { name eventsLineCount events(samples: 2) } } } } }`,
    );
    expect(
      inConnection.project?.runs.edges.map((e) => [
        e.node.name,
        e.node.eventsLineCount,
        (e.node.events as string[]).length,
      ]),
    ).toEqual([
      ['a1b2c3d4', 5, 2],
      ['e5f6g7h8', 0, 0],
    ]);
    const aliased = await gqlData<{ project: Record<string, { events: string[] } | null> }>(
      server.url,
      `query { project(name: "gpu-info-llm", entityName: "${ENTITY}") {
        r0: run(name: "a1b2c3d4") { events(samples: 1000) } r1: run(name: "nosuchrun") { events(samples: 1000) } } }`,
    );
    expect(aliased.project.r0?.events).toHaveLength(5);
    expect(aliased.project.r1).toBeNull();
  });

  it('rejects what W&B would: unknown field, wrong argument type, missing required variable (HTTP 400)', async () => {
    const unknown = await gql(server.url, '{ viewer { id internalIdx } }');
    expect(unknown.status).toBe(400);
    expect(unknown.body.data).toBeUndefined();
    expect(unknown.body.errors?.[0]?.message).toBe('Cannot query field "internalIdx" on type "User".');
    const badArg = await gql(
      server.url,
      `{ project(name: "gpu-info-llm", entityName: "${ENTITY}") { runs(first: "ten") { edges { cursor } } } }`,
    );
    expect(badArg.status).toBe(400);
    expect(badArg.body.errors?.[0]?.message).toMatch(/Int cannot represent/);
    const noVar = await gql(server.url, fixture('run'), { project: 'gpu-info-llm', entity: ENTITY });
    expect(noVar.status).toBe(400);
    expect(noVar.body.errors?.[0]?.message).toMatch(/\$name/);
  });

  it('tolerates undeclared extra variables (Python run.update() sends some)', async () => {
    const res = await gql(server.url, fixture('run'), {
      project: 'gpu-info-llm',
      entity: ENTITY,
      name: 'a1b2c3d4',
      extra: 1,
    });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
  });

  it('answers serverInfo features with an empty list', async () => {
    expect(
      await gqlData(server.url, 'query ServerFeaturesQuery { serverInfo { features { name isEnabled } } }'),
    ).toEqual({
      serverInfo: { features: [] },
    });
  });
});
