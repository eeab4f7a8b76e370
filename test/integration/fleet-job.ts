// A generated fleet (default profile) served by the local W&B server, and the real `run` command on
// it: for tests that derive their expectations from the seed file, not from the job.
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { loadConfig } from '../../src/config/load.js';
import { planFleet } from '../../src/fleet/generate.js';
import type { FleetManifest, SeedRun } from '../../src/fleet/types.js';
import { writeSeed } from '../../src/fleet/write-seed.js';
import type { LocalWandb, LocalWandbOptions } from '../../src/local-wandb/listen.js';
import { fixedClock } from '../../src/shared/clock.js';
import { runCliCaptured } from '../cli/run-cli.js';
import { API_KEY, startTestServer, tempDir } from '../local-wandb/helpers.js';

export type FleetJobWorld = {
  readonly dir: string;
  readonly server: LocalWandb;
  readonly manifest: FleetManifest;
  /** The runs as the seed file has them. */
  readonly runs: readonly SeedRun[];
};

/** Generates a `small` default-profile fleet for `config` ending on `endDate` and serves it. */
export async function startFleetJobWorld(
  config: string,
  fleet: { seed: number; days: number; endDate: string },
  serverOptions: Partial<LocalWandbOptions> = {},
): Promise<FleetJobWorld> {
  const dir = await tempDir('fleet-job-');
  await writeFile(join(dir, 'config.yaml'), config);
  const planned = planFleet(await loadConfig(join(dir, 'config.yaml')), { size: 'small', ...fleet });
  const seedPath = join(dir, 'seed.json');
  const out = createWriteStream(seedPath);
  const { manifest } = await writeSeed(planned, out, false);
  out.end();
  await finished(out);
  const runs = (JSON.parse(await readFile(seedPath, 'utf8')) as { runs: SeedRun[] }).runs;
  const server = await startTestServer({ seed: seedPath, ...serverOptions });
  return { dir, server, manifest, runs };
}

/** `gpu-dashboard run` in the world's folder, at `now`, writing its outputs to `out`. */
export function runFleetJob(
  world: FleetJobWorld,
  now: string,
  args: string[],
  env: Record<string, string> = {},
) {
  return runCliCaptured(['run', '--config', 'config.yaml', ...args], {
    cwd: world.dir,
    clock: fixedClock(now),
    env: { WANDB_BASE_URL: world.server.url, WANDB_API_KEY: API_KEY, ...env },
  });
}
