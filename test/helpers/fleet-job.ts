// A generated fleet (default profile) served by the local W&B server, and the real `run` command on
// it: for tests that derive their expectations from the seed file, not from the job.
import type { IsoDate } from '../../src/product/shared/dates.js';
import type { FleetManifest, SeedRun } from '../../src/world/fleet/types.js';
import type { LocalWandb, LocalWandbOptions } from '../../src/world/local-wandb/listen.js';
import { type FleetSeed, fleetSeed, makeWorld, type World } from './world.js';

/** Two of the small fleet's companies, allocated from long before the fleet's days. */
export const FLEET_CONFIG = `
timezone: Asia/Tokyo
dashboard: { entity: geniac-gpu, project: gpu-dashboard2, tag_for_latest: latest }
dataset: { entity: geniac-gpu, project: gpu-dashboard2, artifact_name: all_runs_data }
companies:
  - company: abeja-geniac
    teams: [abeja-geniac]
    schedule: [{ date: "2025-01-01", assigned_gpu_node: 2 }]
  - company: stockmark-geniac
    teams: [stockmark-geniac]
    schedule: [{ date: "2025-01-01", assigned_gpu_node: 3 }]
`;
export const FLEET_TEAMS: ReadonlySet<string> = new Set(['abeja-geniac', 'stockmark-geniac']);

export type FleetJobWorld = {
  readonly dir: string;
  readonly server: LocalWandb;
  readonly manifest: FleetManifest;
  /** The runs as the seed file has them. */
  readonly runs: readonly SeedRun[];
  readonly world: World;
};

/**
 * Generates a `small` default-profile fleet for `config` ending on `endDate` and serves it; the server's
 * options may depend on the generated runs (e.g. which run's history fails).
 */
export async function startFleetJobWorld(
  config: string,
  fleet: { seed: number; days: number; endDate: IsoDate },
  serverOptions: (runs: readonly SeedRun[]) => Partial<LocalWandbOptions> = () => ({}),
): Promise<FleetJobWorld> {
  const seeded: Partial<FleetSeed> = {};
  const world = await makeWorld({
    name: 'fleet-job',
    config,
    seed: fleetSeed({ size: 'small', ...fleet }, seeded),
    server: () => serverOptions(seeded.runs ?? []),
  });
  return { dir: world.dir, server: world.server, manifest: seeded.manifest!, runs: seeded.runs!, world };
}

/** Another server on the same seed, in a data dir of its own (a control world). */
export function serveAgain(
  world: FleetJobWorld,
  options: Partial<LocalWandbOptions> = {},
): Promise<LocalWandb> {
  return world.world.serveAgain(options);
}

/**
 * `gpu-dashboard run` in the world's folder, at `now`, against `server` (default: the world's); W&B
 * retries do not wait, so a run that fails for good costs no real time.
 */
export function runFleetJob(
  world: FleetJobWorld,
  now: string,
  args: string[],
  server: LocalWandb = world.server,
) {
  return world.world.cli(['run', '--config', 'config.yaml', ...args], {
    clock: now,
    server,
    sleep: async () => {},
  });
}
