import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type SeedInput, validateSeed } from '../../../src/world/local-wandb/seeding/read-seed.js';
import { encodeId } from '../../../src/world/local-wandb/store/ids.js';
import { diskLayout } from '../../../src/world/local-wandb/store/persist.js';
import { gql, gqlData, startTestServer, tempDir, UPSERT_BUCKET } from '../../helpers/local-wandb.js';
import { writeSeed } from '../../helpers/seed-fixture.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
type User = { id: string; username: string | null; name: string; email: string | null } | null;
type Listing = { project: { runs: { edges: { node: { name: string; user: User } }[] } } | null };

const TEAM = 'team-a';
const VIEWER = 'dashboard';

const run = (name: string, extra: Partial<NonNullable<SeedInput['runs']>[number]> = {}) => ({
  entity: TEAM,
  project: 'train',
  name,
  createdAt: '2025-04-10T00:00:00',
  heartbeatAt: '2025-04-10T01:00:00',
  ...extra,
});

const SEED: SeedInput = {
  entities: [{ name: TEAM }, { name: VIEWER }],
  viewer: VIEWER,
  projects: [{ entity: TEAM, name: 'train', createdAt: '2025-04-01T00:00:00' }],
  runs: [
    run('run00001', { user: { username: 'kenji-sato', name: 'Kenji Sato' } }),
    run('run00002', { user: { username: 'aoi-tanaka' } }),
    run('run00003', { user: null }),
    // No user in the seed: the API key's user ran it, as for a run the key creates.
    run('run00004'),
  ],
};

// A runs listing as the tracker makes it (project.runs), asking each run's user.
const LISTING = `query Runs($entity: String!, $project: String!, $filters: JSONString) {
  project(entityName: $entity, name: $project) {
    runs(first: 100, filters: $filters, order: "+created_at") {
      edges { node { name user { id username name email } } }
    }
  }
}`;

const usersOf = async (url: string, filters?: unknown): Promise<Record<string, User>> => {
  const data = await gqlData<Listing>(url, LISTING, {
    entity: TEAM,
    project: 'train',
    ...(filters === undefined ? {} : { filters: JSON.stringify(filters) }),
  });
  return Object.fromEntries((data.project?.runs.edges ?? []).map((e) => [e.node.name, e.node.user]));
};

const colleague = (username: string, name: string): User => ({
  id: encodeId('User', username),
  username,
  name,
  email: null,
});
const viewerUser: User = {
  id: encodeId('User', VIEWER),
  username: VIEWER,
  name: VIEWER,
  email: `${VIEWER}@localhost`,
};

const EXPECTED: Record<string, User> = {
  run00001: colleague('kenji-sato', 'Kenji Sato'),
  run00002: colleague('aoi-tanaka', 'aoi-tanaka'),
  run00003: null,
  run00004: viewerUser,
};

// Run.user (W&B's `user: User`, nullable): seeded users, the key's user, and null.
describe('local W&B: run users', () => {
  const open: Server[] = [];
  const start = async (options: Parameters<typeof startTestServer>[0]) => {
    const server = await startTestServer(options);
    open.push(server);
    return server;
  };
  const stop = async (server: Server) => {
    await server.close();
    open.splice(open.indexOf(server), 1);
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  it("answers a runs listing with each seeded run's user, and null for a run without one", async () => {
    const server = await start({ seed: await writeSeed(await tempDir(), SEED) });
    expect(await usersOf(server.url)).toEqual(EXPECTED);
    // The same run read alone, with only the username asked (what the tracker selects).
    const one = await gqlData<{ project: { a: unknown; b: unknown } }>(
      server.url,
      `query { project(entityName: "${TEAM}", name: "train") {
        a: run(name: "run00001") { user { username } } b: run(name: "run00003") { user { username } } } }`,
    );
    expect(one.project).toEqual({ a: { user: { username: 'kenji-sato' } }, b: { user: null } });
  });

  it('gives a run the API key creates (upsertBucket) the viewer user', async () => {
    const server = await start({ seed: await writeSeed(await tempDir(), SEED) });
    await gqlData(server.url, UPSERT_BUCKET, { name: 'new00001', project: 'train', entity: TEAM });
    expect((await usersOf(server.url)).new00001).toEqual(viewerUser);
  });

  it('names the viewer a seed without entities gets as the user of its runs without one', async () => {
    const seed: SeedInput = { runs: [{ ...run('solo0001'), entity: 'solo' }] };
    const server = await start({ seed: await writeSeed(await tempDir(), seed) });
    const data = await gqlData<{ viewer: { username: string }; project: { run: { user: User } } }>(
      server.url,
      'query { viewer { username } project(entityName: "solo", name: "train") { run(name: "solo0001") { user { username } } } }',
    );
    expect(data).toEqual({ viewer: { username: 'solo' }, project: { run: { user: { username: 'solo' } } } });
  });

  it('filters runs by username, a filter field W&B documents', async () => {
    const server = await start({ seed: await writeSeed(await tempDir(), SEED) });
    expect(Object.keys(await usersOf(server.url, { username: 'kenji-sato' }))).toEqual(['run00001']);
    expect(Object.keys(await usersOf(server.url, { username: { $in: ['aoi-tanaka', VIEWER] } }))).toEqual([
      'run00002',
      'run00004',
    ]);
    expect(Object.keys(await usersOf(server.url, { username: null }))).toEqual(['run00003']);
  });

  it('keeps run users, null included, across a restart with the same data dir', async () => {
    const dataDir = await tempDir();
    const first = await start({ dataDir, seed: await writeSeed(await tempDir(), SEED) });
    await gqlData(first.url, UPSERT_BUCKET, { name: 'new00001', project: 'train', entity: TEAM });
    await stop(first);
    const second = await start({ dataDir });
    expect(await usersOf(second.url)).toEqual({ ...EXPECTED, new00001: viewerUser });
  });

  it('reads runs stored before runs had a user as the viewer user (as they then answered)', async () => {
    const dataDir = await tempDir();
    await stop(await start({ dataDir, seed: await writeSeed(await tempDir(), SEED) }));
    const file = diskLayout(dataDir).projectFile(TEAM, 'train');
    const stored = JSON.parse(await readFile(file, 'utf8')) as { runs: Record<string, unknown>[] };
    for (const r of stored.runs) delete r.user;
    await writeFile(file, JSON.stringify(stored));
    const server = await start({ dataDir });
    const users = await usersOf(server.url);
    expect(Object.values(users)).toEqual(Array.from({ length: 4 }, () => viewerUser));
  });

  it('refuses a seeded user without a username, naming the path', () => {
    const result = validateSeed({
      ...SEED,
      runs: [run('bad00001', { user: { name: 'No Login' } as never })],
    });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues).toEqual([expect.stringMatching(/^runs\.0\.user\.username: /)]);
  });

  it('serves Run.user as the nullable User of W&B (no field the real schema lacks)', async () => {
    const server = await start({ seed: await writeSeed(await tempDir(), SEED) });
    const res = await gql(
      server.url,
      `query { project(entityName: "${TEAM}", name: "train") { run(name: "run00001") { user { login } } } }`,
    );
    expect(res.body.errors?.[0]?.message).toMatch(/^Cannot query field "login" on type "User"\./);
  });
});
