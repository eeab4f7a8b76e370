import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../../product/shared/clock.js';
import { type Logger, silentLogger } from '../../product/shared/logger.js';
import { createUrlSigner, loadUrlSecret } from './files/signed-urls.js';
import { createUploadRegistry } from './files/upload-targets.js';
import { buildWandbSchema } from './graphql/schema.js';
import { createApp } from './http/app.js';
import { createFaultInjector } from './http/faults.js';
import { createStats, type Stats } from './http/stats.js';
import { loadSeedOnce } from './seeding/load-seed.js';
import { readSeedFile } from './seeding/read-seed.js';
import { openStore } from './store/store.js';

/** Entity created when a data dir has none, so `viewer.entity` is never empty (@wandb/sdk needs one, docs/wandb-protocol.md §2). */
const DEFAULT_ENTITY = 'local';

export type LocalWandbOptions = {
  dataDir: string;
  apiKey: string;
  /** Path of a seed file, loaded once into an empty data dir (see seed-load.ts). */
  seed?: string | undefined;
  latencyMs?: number | undefined;
  /** Fraction of GraphQL/file requests that fail (default 0: @wandb/sdk does not retry, docs/wandb-protocol.md §1.6). */
  faultRate?: number | undefined;
  faultSeed?: number | undefined;
  /** Run ids whose history and events answer HTTP 500 every time (W&B does so for some runs). */
  failingHistory?: readonly string[] | undefined;
  /** Seconds in the Retry-After of injected 429s. */
  retryAfterSeconds?: number | undefined;
  /** `uploadHeaders` ("Name:Value") answered with every upload URL; a PUT's headers show at /_local/uploads. */
  uploadHeaders?: readonly string[] | undefined;
  /** Answer upload URLs as paths on this server (`/_local/upload/…`) instead of absolute URLs. */
  relativeUploadUrls?: boolean | undefined;
  port?: number | undefined;
  host?: string | undefined;
  clock?: Clock | undefined;
  log?: Logger | undefined;
};

export type LocalWandb = { url: string; port: number; close(): Promise<void>; stats(): Stats };

/** Starts the local W&B-compatible server; port 0 picks a free port (tests, benches, the demo). */
export async function startLocalWandb(options: LocalWandbOptions): Promise<LocalWandb> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;
  const seed = options.seed === undefined ? undefined : await readSeedFile(options.seed);
  const store = await openStore(options.dataDir, clock);
  if (seed && options.seed) await loadSeedOnce(store, seed, options.seed);
  if (store.viewer() === null) store.ensureEntity(DEFAULT_ENTITY);
  const stats = createStats();
  const faultRate = options.faultRate ?? 0;
  const signer = createUrlSigner(await loadUrlSecret(store.disk.urlSecretFile));
  const handler = createApp({
    store,
    schema: buildWandbSchema(),
    apiKey: options.apiKey,
    uploads: createUploadRegistry({
      signer,
      headers: options.uploadHeaders,
      isRelative: options.relativeUploadUrls,
    }),
    signer,
    stats,
    latencyMs: options.latencyMs ?? 0,
    failingHistory: new Set(options.failingHistory ?? []),
    nextFault:
      faultRate > 0
        ? createFaultInjector({
            rate: faultRate,
            seed: options.faultSeed ?? 1,
            retryAfterSeconds: options.retryAfterSeconds ?? 1,
          })
        : undefined,
    sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
    log,
  });
  const server = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      log.error('local_wandb.unhandled', { error });
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, ready);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    stats: () => stats.snapshot(),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done())));
      await store.close();
    },
  };
}
