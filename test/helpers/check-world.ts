// The world of the `check` scenario tests: three companies, a dataset of run-day rows around T, the
// real nightly job run against the local W&B server (a backfill, then the daily run), its log lines
// in moto's CloudWatch, and `check` run the next morning. Dates follow the real clock because
// CloudWatch (and moto) reject log events older than 14 days.
import { cp, mkdir } from 'node:fs/promises';
import type { IsoDate } from '../../src/product/shared/dates.js';
import { addDays, localDateOf } from '../../src/product/shared/dates.js';
import type { RunDay } from '../../src/product/shared/run-day.js';
import { datasetCsv } from '../../src/product/uploader/dataset-version.js';
import { makeRunDay } from './builders.js';
import { tempDir } from './local-wandb.js';
import { makeWorld, type World as TestWorld } from './world.js';

export const ZONE = 'Asia/Tokyo';
const HOUR = 3600_000;

export type WorldDates = { readonly now: number; readonly T: IsoDate; day(offset: number): IsoDate };

/** T is yesterday in Tokyo at the real `now`; day(-1) is the day before T. */
export function worldDates(now = Date.now()): WorldDates {
  const T = addDays(localDateOf(new Date(now), ZONE), -1);
  return { now, T, day: (offset) => addDays(T, offset) };
}

/**
 * alpha and beta have 1 node (192 GPU hours a day) from T-30 on; gamma's allocation ended after
 * T-4, so it is in the backfill's tables but not in T's.
 */
export function worldConfig(dates: WorldDates, logGroup: string): string {
  const from = dates.day(-30);
  return `
timezone: ${ZONE}
enable_alert: true
ignore_tags: [other_gpu]
dashboard: { entity: dash, project: board, tag_for_latest: latest }
dataset: { entity: dash, project: board, artifact_name: all_runs_data }
alerts: { low_utilization_percent: 10, slack_webhook_url_env: SLACK_WEBHOOK_URL }
cloudwatch: { log_group: "${logGroup}", region: ap-northeast-1 }
companies:
  - company: alpha
    teams: [alpha-team]
    schedule: [{ date: "${from}", assigned_gpu_node: 1 }]
  - company: beta
    teams: [beta-team]
    schedule: [{ date: "${from}", assigned_gpu_node: 1 }]
  - company: gamma
    teams: [gamma-team]
    schedule: [{ date: "${from}", assigned_gpu_node: 1 }, { date: "${dates.day(-3)}", assigned_gpu_node: 0 }]
`;
}

/** One run on one day: `hours` from 08:00 local on `gpus` GPUs, with metrics unless `util` is null. */
export function dayRun(
  team: string,
  date: IsoDate,
  runId: string,
  options: { hours?: number; gpus?: number; util?: number | null; host?: string; startHour?: number } = {},
): RunDay {
  const hours = options.hours ?? 12;
  const start = options.startHour ?? 8;
  const clock = (h: number) =>
    `${date}T${String(Math.floor(h)).padStart(2, '0')}:${String(Math.round((h % 1) * 60)).padStart(2, '0')}:00.000000`;
  const util = options.util === undefined ? 80 : options.util;
  return makeRunDay({
    date,
    company_name: team,
    project: 'train',
    run_id: runId,
    created_at: clock(start),
    updated_at: clock(start + hours),
    duration_hour: hours,
    gpu_count: options.gpus ?? 8,
    average_gpu_utilization: util,
    average_gpu_memory: util === null ? null : 40,
    max_gpu_utilization: util === null ? null : 95,
    max_gpu_memory: util === null ? null : 60,
    host_name: options.host ?? `${team}-node-1`,
    logged_at: `${addDays(date, 1)}T00:15:00.000000`,
  });
}

/**
 * The healthy dataset: from T-9 to T alpha and beta each run 12 h on 8 GPUs a day (96 of 192 GPU
 * hours: 50 %), gamma likewise until T-4; every run has metrics and its own time on its host.
 */
export function healthyRows(dates: WorldDates): RunDay[] {
  const rows: RunDay[] = [];
  for (let offset = -9; offset <= 0; offset++) {
    const d = dates.day(offset);
    rows.push(dayRun('alpha-team', d, `a${-offset}`), dayRun('beta-team', d, `b${-offset}`));
    if (offset <= -4) rows.push(dayRun('gamma-team', d, `g${-offset}`));
  }
  return rows;
}

export type World = {
  readonly dates: WorldDates;
  /** The server's state after both jobs (the server itself is closed). */
  readonly dataDir: string;
  /** The jobs' JSON log lines with the time CloudWatch would have stamped them. */
  readonly jobLog: readonly { timestamp: number; message: string }[];
};

/**
 * Seeds the server with `rows` as the prior dataset (no W&B runs: the fetch adds nothing), runs the
 * backfill T-7..T-1 (26 h before now) and the daily run for T (2 h before now), and keeps their logs.
 */
export async function buildWorld(rows: readonly RunDay[], dates = worldDates()): Promise<World> {
  const world = await makeWorld({
    name: 'check-world',
    config: worldConfig(dates, '/unused'),
    seed: {
      entities: [{ name: 'alpha-team' }, { name: 'beta-team' }, { name: 'gamma-team' }, { name: 'dash' }],
      projects: [{ entity: 'dash', name: 'board', createdAt: '2024-01-01T00:00:00' }],
      runs: [],
      artifacts: [
        {
          entity: 'dash',
          project: 'board',
          name: 'all_runs_data',
          type: 'dataset',
          files: { 'all_runs_data.csv': datasetCsv({ rows: [...rows], extras: [] }) },
        },
      ],
    },
  });
  const jobLog: { timestamp: number; message: string }[] = [
    // An error before the previous completion: not counted by the job-log check.
    {
      timestamp: dates.now - 30 * HOUR,
      message: JSON.stringify({ level: 'error', event: 'tracker.failed' }),
    },
  ];
  try {
    jobLog.push(...(await runBackfillAndDaily(world, dates)));
  } finally {
    await world.server.close();
  }
  return { dates, dataDir: world.server.dataDir, jobLog };
}

/**
 * The backfill T-7..T-1 (its lines stamped 26 h before now) then the daily run for T (2 h before
 * now), both through the real CLI in the world's folder; returns their JSON log lines. The jobs run on
 * today's clock (so T is never "after today"); only the stamps differ.
 */
export async function runBackfillAndDaily(world: TestWorld, dates: WorldDates): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  for (const [start, end, at] of [
    [dates.day(-7), dates.day(-1), dates.now - 26 * HOUR],
    [dates.T, dates.T, dates.now - 2 * HOUR],
  ] as const) {
    const result = await world.cli(
      ['run', '--config', 'config.yaml', '--start-date', start, '--end-date', end],
      {
        clock: new Date(dates.now),
      },
    );
    if (result.code !== 0) throw new Error(`job ${start}..${end} failed: ${result.stderr}`);
    const json = result.stderr.split('\n').filter((l) => l.startsWith('{'));
    for (const [i, message] of json.entries()) lines.push({ timestamp: at + i, message });
  }
  return lines;
}

export type LogLine = { timestamp: number; message: string };

/** A copy of the world's server state, so each scenario can change it without touching the others. */
export async function copyState(world: World): Promise<string> {
  const dir = await tempDir('check-state-');
  await mkdir(dir, { recursive: true });
  await cp(world.dataDir, dir, { recursive: true });
  return dir;
}
