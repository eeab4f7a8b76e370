import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  createWandbClient,
  type WandbClient,
  type WandbClientOptions,
} from '../../src/product/wandb/client.js';
import type { LocalWandbOptions } from '../../src/world/local-wandb/listen.js';
import type { SeedInput } from '../../src/world/local-wandb/seeding/read-seed.js';
import { API_KEY, startTestServer, tempDir } from './local-wandb.js';
import { writeSeedFile } from './world.js';

export { API_KEY };

/** Starts the local W&B server loaded with `seed` (written to a temp file). */
export async function startSeeded(
  seed: SeedInput,
  options: Omit<Partial<LocalWandbOptions>, 'dataDir' | 'seed'> = {},
) {
  const dir = await tempDir('wandb-client-');
  const seedPath = await writeSeedFile(join(dir, 'seed.json'), seed);
  return startTestServer({ dataDir: join(dir, 'data'), seed: seedPath, ...options });
}

/** A client with instant sleeps (recorded) and a fixed jitter, pointed at `url`. */
export function testClient(
  url: string,
  overrides: Partial<WandbClientOptions> = {},
): WandbClient & { waits: number[] } {
  const waits: number[] = [];
  const client = createWandbClient({
    baseUrl: url,
    apiKey: API_KEY,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  return Object.assign(client, { waits });
}

export type TinyServer = { url: string; hits: number; close(): Promise<void> };

/** A bare node:http peer for what the local W&B server cannot produce (stalls, custom headers). */
export async function startTinyServer(
  handle: (req: IncomingMessage, res: ServerResponse, hit: number) => void | Promise<void>,
): Promise<TinyServer> {
  const state = { hits: 0 };
  const server = createServer((req, res) => {
    state.hits += 1;
    req.resume();
    void handle(req, res, state.hits);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get hits() {
      return state.hits;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

export const json = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

/** The seed run shape with defaults, for compact seeds. */
export function seedRun(
  entity: string,
  project: string,
  name: string,
  createdAt: string,
  heartbeatAt: string,
  extra: Partial<NonNullable<SeedInput['runs']>[number]> = {},
): NonNullable<SeedInput['runs']>[number] {
  return { entity, project, name, createdAt, heartbeatAt, ...extra };
}
