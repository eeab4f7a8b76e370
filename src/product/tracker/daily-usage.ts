import type { IsoDate } from '../shared/dates.js';
import { dayIndexOf, type LocalTimes } from '../shared/dates.js';
import type { RunDay } from '../shared/run-day.js';
import type { MetricSample, RunRecord } from './types.js';

const GPU_METRIC = /^system\.gpu\.(\d+)\.(gpu|memory)(\/l:.*)?$/;
const MS_PER_HOUR = 3_600_000;

/** GPU utilisation and memory are percentages: samples outside [0, 100] are dropped, counted by kind. */
const PERCENT_MIN = 0;
const PERCENT_MAX = 100;
export type SampleDrops = { below_zero: number; above_hundred: number };

export function noDrops(): SampleDrops {
  return { below_zero: 0, above_hundred: 0 };
}

type Stat = { sum: number; count: number; max: number };
type DayMetrics = { util?: Stat; mem?: Stat };

/** What a metric key holds: GPU utilisation, GPU memory, or something the tables do not use. */
type MetricKind = 'util' | 'mem' | null;

function metricKind(key: string): MetricKind {
  const match = GPU_METRIC.exec(key);
  if (!match) return null;
  return match[2] === 'gpu' ? 'util' : 'mem';
}

/**
 * Per local day index: mean and max of every GPU utilisation and memory value in that day's samples;
 * values outside [0, 100] are counted into `drops` instead. Samples are read once, in order, so they may
 * be parsed as they are read (eventRows); a run's samples repeat the same keys, so each key is classified once.
 */
function summarizeMetrics(
  samples: Iterable<MetricSample>,
  bounds: readonly number[],
  drops: SampleDrops = noDrops(),
): Map<number, DayMetrics> {
  const days = new Map<number, DayMetrics>();
  const kinds = new Map<string, MetricKind>();
  for (const sample of samples) {
    const ts = sample._timestamp;
    if (typeof ts !== 'number' || !Number.isFinite(ts)) continue;
    const day = dayIndexOf(ts * 1000, bounds);
    if (day < 0) continue;
    for (const key in sample) {
      const value = sample[key];
      // Only finite numbers count: booleans, strings, null and NaN are skipped (docs/behaviour.md §4).
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      let which = kinds.get(key);
      if (which === undefined) {
        which = metricKind(key);
        kinds.set(key, which);
      }
      if (which === null) continue;
      if (value < PERCENT_MIN || value > PERCENT_MAX) {
        if (value < PERCENT_MIN) drops.below_zero++;
        else drops.above_hundred++;
        continue;
      }
      let metrics = days.get(day);
      if (!metrics) {
        metrics = {};
        days.set(day, metrics);
      }
      const stat = metrics[which];
      if (stat) {
        stat.sum += value;
        stat.count++;
        if (value > stat.max) stat.max = value;
      } else metrics[which] = { sum: value, count: 1, max: value };
    }
  }
  return days;
}

export type RunDayContext = {
  readonly zone: string;
  /** Local times in `zone` (localTimesIn(zone)), shared by every run of the job. */
  readonly times: LocalTimes;
  /** The job's range as local dates, and their midnights from localDayBounds(start, end). */
  readonly dates: readonly IsoDate[];
  readonly bounds: readonly number[];
  /** Job start as a dataset datetime. */
  readonly loggedAt: string;
};

/**
 * One row per local day of the range that the run's [createdAt, heartbeatAt] overlaps with
 * positive length (docs/behaviour.md §4); durations are exact, metrics are those sampled on that day.
 */
export function runDays(
  run: RunRecord,
  samples: Iterable<MetricSample>,
  gpuCount: number | null,
  ctx: RunDayContext,
  drops: SampleDrops = noDrops(),
): RunDay[] {
  const metrics = summarizeMetrics(samples, ctx.bounds, drops);
  const rows: RunDay[] = [];
  const createdAt = ctx.times.format(run.createdAt);
  const updatedAt = ctx.times.format(run.heartbeatAt);
  ctx.dates.forEach((date, i) => {
    const overlap = Math.min(run.heartbeatAt, ctx.bounds[i + 1]!) - Math.max(run.createdAt, ctx.bounds[i]!);
    if (overlap <= 0) return;
    const day = metrics.get(i);
    rows.push({
      date,
      company_name: run.team,
      project: run.project,
      run_id: run.runId,
      tags: run.tags,
      created_at: createdAt,
      updated_at: updatedAt,
      state: run.state,
      duration_hour: overlap / MS_PER_HOUR,
      gpu_count: gpuCount,
      average_gpu_utilization: day?.util ? day.util.sum / day.util.count : null,
      average_gpu_memory: day?.mem ? day.mem.sum / day.mem.count : null,
      max_gpu_utilization: day?.util ? day.util.max : null,
      max_gpu_memory: day?.mem ? day.mem.max : null,
      host_name: run.host ?? '',
      logged_at: ctx.loggedAt,
      cpu_count: run.runInfo?.cpuCount ?? null,
      username: run.username ?? '',
      extra: {},
    });
  });
  return rows;
}
