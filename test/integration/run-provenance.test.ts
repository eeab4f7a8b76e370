// Provenance (docs/behaviour.md §12): the Update run, the dataset version it logs and every Tables run
// record the product version, the config's SHA-256, the job's dates, the dataset version read and the
// image digest when the task passes one. Read back through W&B's GraphQL API after a real `run`.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { CANARY, CONFIG, SEED } from '../helpers/job-world.js';
import { gql, startTestServer, tempDir } from '../helpers/local-wandb.js';
import { runCliCaptured } from '../helpers/run-cli.js';

const START = '2025-01-08';
const END = '2025-01-09';
const DIGEST = `sha256:${'4f'.repeat(32)}`;

type Published = {
  project: {
    runs: { edges: { node: { displayName: string; tags: string[]; config: string } }[] };
    artifact: { versionIndex: number; metadata: string } | null;
  };
};
const PUBLISHED = `{ project(name: "board", entityName: "dash") {
  runs(first: 50) { edges { node { displayName tags config } } }
  artifact(name: "all_runs_data:latest") { versionIndex metadata } } }`;

/** A run's config as the Python public API reads it: each `{value}` unwrapped (docs/wandb-protocol.md §4.3). */
function unwrapped(config: string): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(JSON.parse(config) as Record<string, { value: unknown }>).map(([k, v]) => [k, v.value]),
  );
}

type World = { server: LocalWandb; dir: string; configSha256: string; priorVersion: number | null };

async function startWorld(seed: object): Promise<World> {
  const dir = await tempDir('run-provenance-');
  await writeFile(join(dir, 'config.yaml'), CONFIG);
  await writeFile(join(dir, 'seed.json'), JSON.stringify(seed));
  const server = await startTestServer({ apiKey: CANARY, seed: join(dir, 'seed.json') });
  const configSha256 = createHash('sha256')
    .update(await readFile(join(dir, 'config.yaml')))
    .digest('hex');
  const before = await read(server);
  return { server, dir, configSha256, priorVersion: before.project.artifact?.versionIndex ?? null };
}

async function read(server: LocalWandb): Promise<Published> {
  const res = await gql(server.url, PUBLISHED, {}, { key: CANARY });
  expect(res.body.errors).toBeUndefined();
  return res.body.data as Published;
}

/** `gpu-dashboard run` over [START, END], with the image digest in the environment when given. */
async function runJob(world: World, env: Record<string, string>) {
  const result = await runCliCaptured(
    ['run', '--config', 'config.yaml', '--start-date', START, '--end-date', END],
    { cwd: world.dir, env: { WANDB_BASE_URL: world.server.url, WANDB_API_KEY: CANARY, ...env } },
  );
  expect(result.code, result.stderr).toBe(0);
  return read(world.server);
}

const runsNamed = (published: Published, name: string) =>
  published.project.runs.edges.map((e) => e.node).filter((n) => n.displayName === name);

let productVersion: string;
const worlds: World[] = [];
beforeAll(async () => {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
  productVersion = (pkg as { version: string }).version;
});
afterAll(() => Promise.all(worlds.map((w) => w.server.close())));

describe('run records its provenance', () => {
  let world: World;
  let published: Published;
  let expected: Record<string, unknown>;
  beforeAll(async () => {
    world = await startWorld(SEED);
    worlds.push(world);
    published = await runJob(world, { GPU_DASHBOARD_IMAGE_DIGEST: DIGEST });
    expected = {
      product_version: productVersion,
      config_sha256: world.configSha256,
      start_date: START,
      end_date: END,
      dataset_version_read: world.priorVersion,
      image_digest: DIGEST,
    };
  });

  it('starts from the seeded dataset version 0', () => {
    expect(world.priorVersion).toBe(0);
  });

  it('in the Update run config', () => {
    const updates = runsNamed(published, `Update_${END}`);
    expect(updates).toHaveLength(1);
    expect(unwrapped(updates[0]!.config)).toEqual(expected);
  });

  it('in the metadata of the dataset version it wrote', () => {
    expect(published.project.artifact?.versionIndex).toBe(1);
    expect(JSON.parse(published.project.artifact!.metadata)).toEqual(expected);
  });

  it('in every Tables run config, beside the dataset_version its tables were computed from', () => {
    const tables = runsNamed(published, `Tables_${END}`);
    expect(tables.map((t) => t.tags.filter((tag) => tag !== 'latest')[0]).sort()).toEqual([
      'alpha',
      'overall',
    ]);
    for (const run of tables) expect(unwrapped(run.config)).toEqual({ ...expected, dataset_version: 1 });
  });
});

describe('run without a prior dataset or an image digest', () => {
  it('records dataset_version_read null and no image_digest', async () => {
    const world = await startWorld({ ...SEED, artifacts: [] });
    worlds.push(world);
    expect(world.priorVersion).toBeNull();
    const published = await runJob(world, {});
    const expected = {
      product_version: productVersion,
      config_sha256: world.configSha256,
      start_date: START,
      end_date: END,
      dataset_version_read: null,
    };
    expect(unwrapped(runsNamed(published, `Update_${END}`)[0]!.config)).toEqual(expected);
    expect(published.project.artifact?.versionIndex).toBe(0);
    expect(JSON.parse(published.project.artifact!.metadata)).toEqual(expected);
    const tables = runsNamed(published, `Tables_${END}`);
    expect(tables).toHaveLength(2);
    for (const run of tables) {
      expect(unwrapped(run.config)).toEqual({ ...expected, dataset_version: 0 });
    }
  });
});
