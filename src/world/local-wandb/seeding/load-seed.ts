import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  artifactDigest,
  type ManifestEntry,
  manifestJson,
} from '../../../product/shared/artifact-manifest.js';
import { parseInstant } from '../../seed/datetime.js';
import { createPatternEvents, type PatternEvents, patternLineCount } from '../files/events-pattern.js';
import { createUrlSigner } from '../files/signed-urls.js';
import { createUploadRegistry } from '../files/upload-targets.js';
import type { GqlContext } from '../graphql/context.js';
import { commit, ensureCollection } from '../graphql/resolvers/artifact.js';
import { newRun } from '../graphql/resolvers/run.js';
import { PROJECT_VIEWS } from '../graphql/views/project.js';
import { type ArtifactRec, type RunRec, type UserRec, viewerUserRec } from '../store/model.js';
import { readTextIfExists, writeAtomic } from '../store/persist.js';
import type { Store } from '../store/store.js';
import type { Seed, SeedRun } from './read-seed.js';

/** Runs whose event files are written at once while seeding (a large fleet has ~200k). */
const SEED_WRITE_BATCH = 64;

// Whole seconds, like every stored time (see Store.now).
const ms = (text: string): number => Math.floor((parseInstant(text) ?? 0) / 1000) * 1000;

/**
 * Loads a seed into the data dir once. A marker file records it, so restarting with the same (or another)
 * --seed is a no-op and the state on disk wins; delete the data dir to reseed.
 * Returns whether the seed was applied.
 */
export async function loadSeedOnce(store: Store, seed: Seed, seedPath: string): Promise<boolean> {
  if ((await readTextIfExists(store.disk.seedMarker)) !== undefined) return false;
  for (const e of seed.entities) store.ensureEntity(e.name);
  if (seed.viewer) {
    store.ensureEntity(seed.viewer);
    store.setViewer(seed.viewer);
  }
  for (const p of seed.projects)
    store.ensureProject(p.entity, p.name, p.createdAt ? ms(p.createdAt) : undefined);
  const patterns = createPatternEvents();
  for (let i = 0; i < seed.runs.length; i += SEED_WRITE_BATCH) {
    await Promise.all(seed.runs.slice(i, i + SEED_WRITE_BATCH).map((r) => seedRun(store, patterns, r)));
  }
  // URLs made while seeding are never handed out: a throwaway key signs them.
  const signer = createUrlSigner(randomBytes(32));
  const ctx: GqlContext = {
    store,
    uploads: createUploadRegistry({ signer }),
    signer,
    baseUrl: '',
    patterns,
    projectViews: PROJECT_VIEWS,
  };
  for (const a of seed.artifacts) await seedArtifact(ctx, a, dirname(resolve(seedPath)));
  await store.flush();
  await writeAtomic(
    store.disk.seedMarker,
    JSON.stringify({ seed: resolve(seedPath), loadedAt: store.clock.now() }),
  );
  return true;
}

async function seedRun(store: Store, patterns: PatternEvents, r: SeedRun): Promise<void> {
  const run: RunRec = newRun(r.entity, r.project, r.name, ms(r.createdAt), seededUser(store, r));
  run.displayName = r.displayName ?? r.name;
  run.description = r.description ?? null;
  run.state = r.state;
  run.tags = r.tags;
  run.host = r.host ?? null;
  run.heartbeatAt = ms(r.heartbeatAt);
  run.updatedAt = r.updatedAt ? ms(r.updatedAt) : run.heartbeatAt;
  run.runInfo = r.runInfo
    ? {
        gpu: r.runInfo.gpu ?? null,
        gpuCount: r.runInfo.gpuCount ?? null,
        cpuCount: r.runInfo.cpuCount ?? null,
      }
    : null;
  run.config = JSON.stringify(r.config);
  run.summaryMetrics = JSON.stringify(r.summaryMetrics);
  if (r.systemMetricsPattern) {
    run.eventsPattern = r.systemMetricsPattern;
    run.lineCounts['wandb-events.jsonl'] = patternLineCount(r.systemMetricsPattern);
    run.systemMetrics = patterns.last(r.systemMetricsPattern);
    store.putRun(run);
    return;
  }
  const last = r.systemMetrics.at(-1);
  run.systemMetrics = JSON.stringify(last ?? {});
  store.putRun(run);
  if (r.systemMetrics.length > 0) {
    await store.writeLines(
      run,
      'wandb-events.jsonl',
      0,
      r.systemMetrics.map((row) => JSON.stringify(row)),
    );
  }
}

/**
 * The run's user as seeded; without one, the API key's user, as for a run the key creates (the run's
 * entity made first, as putRun would, so a seed without entities still names the viewer it gets).
 */
function seededUser(store: Store, r: SeedRun): UserRec | null {
  if (r.user === null) return null;
  if (r.user) return { username: r.user.username, name: r.user.name ?? r.user.username };
  store.ensureEntity(r.entity, ms(r.createdAt));
  return viewerUserRec(store.viewer());
}

async function seedArtifact(ctx: GqlContext, a: Seed['artifacts'][number], seedDir: string): Promise<void> {
  const { store } = ctx;
  store.ensureProject(a.entity, a.project);
  ensureCollection(ctx, a.entity, a.project, a.name, a.type);
  const id = store.newId('Artifact');
  const entries: ManifestEntry[] = [];
  const files: ArtifactRec['files'] = [];
  for (const [name, value] of Object.entries(a.files)) {
    const blob = await store.putBlob(await contentOf(value, seedDir));
    entries.push({ path: name, digest: blob.md5, size: blob.size, birthArtifactID: id });
    files.push({ id: store.newId('File'), name, md5: blob.md5, blob: blob.hex, size: blob.size });
  }
  const manifest = await store.putBlob(Buffer.from(manifestJson(entries)));
  const now = store.now();
  const artifact: ArtifactRec = {
    id,
    entity: a.entity,
    project: a.project,
    collection: a.name,
    type: a.type,
    digest: artifactDigest(entries),
    state: 'PENDING',
    versionIndex: null,
    requestedAliases: [],
    createdAt: now,
    updatedAt: now,
    description: null,
    metadata: null,
    runName: null,
    manifest: { id: store.newId('ArtifactManifest'), digest: manifest.md5, blob: manifest.hex },
    files,
  };
  store.putArtifact(artifact);
  commit(ctx, artifact);
}

/** A seed file value is a path relative to the seed file when such a file exists, else literal text. */
async function contentOf(value: string, seedDir: string): Promise<Buffer> {
  const path = resolve(seedDir, value);
  const isFile = await stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
  return isFile ? readFile(path) : Buffer.from(value, 'utf8');
}
