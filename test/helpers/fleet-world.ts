// A generated healthy fleet (generate-fleet's `healthy` profile) served by the local W&B server, the
// real nightly job run on it (a backfill, then the daily run) and its log lines, for running `check`
// against. Dates follow the real clock, as in world.ts, because moto rejects log events older than
// 14 days.
import type { FleetManifest, SeedRun } from '../../src/world/fleet/types.js';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { runBackfillAndDaily, type WorldDates, ZONE } from './check-world.js';
import { type FleetSeed, fleetSeed, makeWorld } from './world.js';

export const FLEET_DAYS = 14;

/**
 * The five companies of a `small` fleet, one per kind of config feature (a nodes rule from config,
 * a GPUs rule from the summary, a notes regex that applies from T-5 on, an include pattern, runs
 * without GPU info allowed), with few nodes so the fleet stays small. aidealab's allocation ends
 * after T-4 (in the backfill's tables, not in T's); stockmark gets a second node on T-3.
 */
export function fleetConfig(dates: WorldDates, logGroup: string): string {
  const from = dates.day(-60);
  return `
timezone: ${ZONE}
enable_alert: true
ignore_tags: [other_gpu, others_gpu]
dashboard: { entity: geniac-gpu, project: gpu-dashboard2, tag_for_latest: latest }
dataset: { entity: geniac-gpu, project: gpu-dashboard2, artifact_name: all_runs_data }
alerts: { low_utilization_percent: 10, slack_webhook_url_env: SLACK_WEBHOOK_URL }
cloudwatch: { log_group: "${logGroup}", region: ap-northeast-1 }
companies:
  - company: abeja-geniac
    teams: [abeja-geniac]
    schedule: [{ date: "${from}", assigned_gpu_node: 2 }]
    gpu_count: [{ nodes: { config: [NUM_NODES, trainer.num_nodes] } }]
  - company: aidealab-geniac
    teams: [aidealab-geniac]
    schedule: [{ date: "${from}", assigned_gpu_node: 1 }, { date: "${dates.day(-3)}", assigned_gpu_node: 0 }]
    gpu_count: [{ gpus: { summary: gpus } }]
  - company: syntheticgestalt-geniac
    teams: [syntheticgestalt-geniac]
    schedule: [{ date: "${from}", assigned_gpu_node: 2 }]
    gpu_count: [{ from: "${dates.day(-5)}", nodes: { name_regex: "(\\\\d+)Nodes$" } }]
  - company: stockmark-geniac
    teams: [stockmark-geniac]
    schedule: [{ date: "${from}", assigned_gpu_node: 1 }, { date: "${dates.day(-3)}", assigned_gpu_node: 2 }]
    include_project_pattern: gpu-info
  - company: datagrid-geniac
    teams: [datagrid-geniac]
    schedule: [{ date: "${from}", assigned_gpu_node: 1 }]
    require_gpu_info: false
    default_gpu_count: 8
`;
}

export type FleetWorld = {
  readonly dates: WorldDates;
  readonly dir: string;
  /** Still listening after the jobs: `check` reads it; the caller closes it. */
  readonly server: LocalWandb;
  readonly manifest: FleetManifest;
  /** The runs as the seed file has them. */
  readonly runs: readonly SeedRun[];
  /** The jobs' JSON log lines with the time CloudWatch would have stamped them. */
  readonly jobLog: readonly { timestamp: number; message: string }[];
};

/**
 * Generates the healthy fleet of FLEET_DAYS days ending on T, seeds a server with it and runs the
 * nightly job as production would after a deployment: a backfill of the 7 days before T (26 h
 * before now), then the daily run for T (2 h before now).
 */
export async function buildFleetWorld(dates: WorldDates, seed: number): Promise<FleetWorld> {
  const seeded: Partial<FleetSeed> = {};
  const world = await makeWorld({
    name: 'fleet-check',
    config: fleetConfig(dates, '/unused'),
    seed: fleetSeed({ size: 'small', seed, days: FLEET_DAYS, endDate: dates.T, profile: 'healthy' }, seeded),
  });
  const jobLog: { timestamp: number; message: string }[] = [];
  try {
    jobLog.push(...(await runBackfillAndDaily(world, dates)));
  } catch (error) {
    await world.server.close();
    throw error;
  }
  return {
    dates,
    dir: world.dir,
    server: world.server,
    manifest: seeded.manifest!,
    runs: seeded.runs!,
    jobLog,
  };
}
