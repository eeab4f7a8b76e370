// One way to build the world a test runs the product in: a folder holding config.yaml (and seed.json),
// the local W&B server seeded from it, and the real CLI run in that folder against that server. The
// scenario builders (job-world, check-world, fleet-job, fleet-world) and the integration tests share it.
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { CliIo } from '../../src/product/cli/io.js';
import { loadConfig } from '../../src/product/config/load.js';
import type { Clock } from '../../src/product/shared/clock.js';
import { planFleet } from '../../src/world/fleet/generate.js';
import type { FleetManifest, SeedRun } from '../../src/world/fleet/types.js';
import { writeSeed } from '../../src/world/fleet/write-seed.js';
import type { LocalWandb, LocalWandbOptions } from '../../src/world/local-wandb/listen.js';
import { fixedClock } from './fakes.js';
import { API_KEY, startTestServer, tempDir } from './local-wandb.js';
import { runCliCaptured } from './run-cli.js';

export type WorldSpec = {
  /** Prefix of the temp folder's name. */
  readonly name: string;
  /** config.yaml's text. */
  readonly config: string;
  /** seed.json: an object, or a writer of the file (a generated fleet); none: the server starts empty. */
  readonly seed?: object | ((path: string) => Promise<void>);
  /** The API key the server wants and the CLI sends (default the tests' API_KEY). */
  readonly apiKey?: string;
  /** More server options (or a function giving them once the seed is written); the seed and key are set already. */
  readonly server?: Partial<LocalWandbOptions> | (() => Partial<LocalWandbOptions>);
};

export type CliOptions = {
  /** Default: the runner's own default clock. */
  readonly clock?: Clock | Date | string;
  readonly env?: Readonly<Record<string, string>>;
  /** Another server than the world's (a control server on the same seed). */
  readonly server?: LocalWandb;
} & Partial<Pick<CliIo, 'sleep'>>;

export type World = {
  readonly dir: string;
  readonly seedPath: string;
  readonly apiKey: string;
  readonly server: LocalWandb & { dataDir: string };
  /** The W&B environment the CLI gets: the server's URL and the key. */
  env(server?: LocalWandb): Record<string, string>;
  /** `gpu-dashboard <args>` in the world's folder against its server. */
  cli(args: readonly string[], options?: CliOptions): ReturnType<typeof runCliCaptured>;
  /** Another server on the same seed, in a data dir of its own, without the world's other server options. */
  serveAgain(options?: Partial<LocalWandbOptions>): Promise<LocalWandb & { dataDir: string }>;
};

export async function makeWorld(spec: WorldSpec): Promise<World> {
  const dir = await tempDir(`${spec.name}-`);
  const apiKey = spec.apiKey ?? API_KEY;
  await writeFile(join(dir, 'config.yaml'), spec.config);
  const seedPath = join(dir, 'seed.json');
  const seeded = spec.seed === undefined ? {} : { seed: await writeSeedFile(seedPath, spec.seed) };
  const given = typeof spec.server === 'function' ? spec.server() : spec.server;
  const serve = (options: Partial<LocalWandbOptions> = {}) =>
    startTestServer({ apiKey, ...seeded, ...options });
  const server = await serve(given);
  const env = (on: LocalWandb = server) => ({ WANDB_BASE_URL: on.url, WANDB_API_KEY: apiKey });
  return {
    dir,
    seedPath,
    apiKey,
    server,
    env,
    serveAgain: serve,
    cli: (args, options = {}) => {
      const { clock, server: on, env: extra, ...rest } = options;
      return runCliCaptured([...args], {
        cwd: dir,
        env: { ...env(on), ...extra },
        ...(clock === undefined ? {} : { clock: isClock(clock) ? clock : fixedClock(clock) }),
        ...rest,
      });
    },
  };
}

/** Writes a seed file (an object as JSON, or through a writer); returns its path. */
export async function writeSeedFile(
  path: string,
  seed: object | ((path: string) => Promise<void>),
): Promise<string> {
  if (typeof seed === 'function') await (seed as (path: string) => Promise<void>)(path);
  else await writeFile(path, JSON.stringify(seed));
  return path;
}

function isClock(value: Clock | Date | string): value is Clock {
  return typeof value === 'object' && 'now' in value;
}

/** What a generated fleet's seed holds: the manifest of what was planted, and the runs as written. */
export type FleetSeed = { manifest: FleetManifest; runs: readonly SeedRun[] };

/**
 * A seed writer for makeWorld: a fleet generated for the world's config (config.yaml beside the seed);
 * `into` receives its manifest and runs.
 */
export function fleetSeed(
  options: Parameters<typeof planFleet>[1],
  into: Partial<FleetSeed>,
): (path: string) => Promise<void> {
  return async (path) => {
    const planned = planFleet(await loadConfig(join(dirname(path), 'config.yaml')), options);
    const out = createWriteStream(path);
    const { manifest } = await writeSeed(planned, out, false);
    out.end();
    await finished(out);
    into.manifest = manifest;
    into.runs = (JSON.parse(await readFile(path, 'utf8')) as { runs: SeedRun[] }).runs;
  };
}
