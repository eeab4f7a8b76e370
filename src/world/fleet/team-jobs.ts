import type { Random } from '../seed/random.js';
import type { ZoneClock } from '../seed/zone.js';
import { FEATURE_RATES, type Feature } from './sizes.js';

/** Everything the generator knows about one team; times are epoch seconds. */
export type TeamContext = {
  readonly team: string;
  readonly seed: number;
  /** Local midnight starting the first date, and the one ending the last date, of the fleet. */
  readonly genStart: number;
  readonly genEnd: number;
  /** When the "snapshot" of W&B is taken: runs still going then are `running`. */
  readonly snapshot: number;
  /** The company's allocation window, [first schedule date 00:00, day after the closing date 00:00). */
  readonly allocStart: number;
  readonly allocEnd: number;
  readonly hosts: number;
  readonly maxNodes: number;
  readonly runCount: number;
  readonly meanHours: number;
  readonly minPlanted: number;
  /** Whether this team runs multi-day jobs (see SizePreset.multiDayTeams). */
  readonly hasMultiDay: boolean;
  readonly includedProjects: number;
  readonly excludedProjects: number;
};

/** One launch: a run, or a duplicate-init group of `size` runs on one host. */
export type Job = {
  readonly order: number;
  readonly feature: Feature | 'excludedProject' | undefined;
  readonly project: number;
  readonly size: number;
  readonly nodes: number;
  start: number;
  readonly duration: number;
  hosts: number[];
};

const HOUR = 3600;
/** Idle time between two runs on one host: runs of a team never touch unless planted. */
export const HOST_GAP_SEC = 120;

/** The team's jobs: the planted minimum of every feature first, then random jobs up to runCount runs. */
export function planJobs(ctx: TeamContext, random: Random, clock: ZoneClock): Job[] {
  const jobs: Job[] = [];
  let runs = 0;
  const add = (feature: Job['feature'], project?: number) => {
    const job = makeJob(ctx, random, clock, feature, jobs.length, project);
    jobs.push(job);
    runs += job.size;
  };
  // One run in each project the company's pattern leaves out, so filtering is visible.
  for (let p = 0; p < ctx.excludedProjects; p++) add('excludedProject', ctx.includedProjects + p);
  const allowed = (feature: Feature | undefined) =>
    feature === 'multiDay' && !ctx.hasMultiDay ? undefined : feature;
  for (const feature of Object.keys(FEATURE_RATES) as Feature[]) {
    for (let q = 0; q < ctx.minPlanted && allowed(feature); q++) add(feature);
  }
  while (runs < ctx.runCount) {
    const feature = allowed(sampleFeature(random));
    add(feature === 'duplicateGroup' && runs + 8 > ctx.runCount ? undefined : feature);
  }
  return jobs;
}

function sampleFeature(random: Random): Feature | undefined {
  let u = random.next();
  for (const [feature, rate] of Object.entries(FEATURE_RATES) as [Feature, number][]) {
    if (u < rate) return feature;
    u -= rate;
  }
  return undefined;
}

function makeJob(
  ctx: TeamContext,
  random: Random,
  clock: ZoneClock,
  feature: Job['feature'],
  order: number,
  project = pickProject(ctx, random),
): Job {
  const activeStart = Math.max(ctx.genStart, ctx.allocStart);
  const activeEnd = Math.min(ctx.genEnd, ctx.allocEnd);
  const [from, to] = activeEnd > activeStart ? [activeStart, activeEnd] : [ctx.genStart, ctx.genEnd];
  let duration = Math.round(lognormal(random, ctx.meanHours) * HOUR);
  let start = random.int(from, to - 1);
  if (feature === 'zeroLength') duration = 0;
  if (feature === 'duplicateGroup') duration = Math.max(duration, 20 * 60);
  if (feature === 'multiDay') {
    duration = random.int(50 * HOUR, 110 * HOUR);
    start = random.int(from, Math.max(from, to - duration));
  }
  if (feature === 'crossMidnight') {
    // 22:00–23:30 local, 3–8 hours: the run's hours split over two local dates.
    const day = clock.dayNumber(random.int(from, to - 1));
    const midnight = day * 86_400 - clock.offset(day * 86_400);
    start = midnight + 22 * HOUR + random.int(0, 90 * 60);
    duration = random.int(3 * HOUR, 8 * HOUR);
  }
  if (feature === 'outsideAllocation') {
    duration = random.int(HOUR / 2, 6 * HOUR);
    const hasAfter = Number.isFinite(ctx.allocEnd);
    start =
      hasAfter && random.chance(0.5)
        ? ctx.allocEnd + random.int(HOUR, 4 * 86_400)
        : ctx.allocStart - duration - random.int(HOUR, 4 * 86_400);
  }
  const isPlain = feature === undefined || feature === 'ignoreTagged' || feature === 'noMetrics';
  return {
    order,
    feature,
    project,
    size: feature === 'duplicateGroup' ? random.int(2, 8) : 1,
    nodes: isPlain || feature === 'multiDay' || feature === 'crossMidnight' ? pickNodes(ctx, random) : 1,
    start,
    duration,
    hosts: [],
  };
}

/** Mean-preserving log-normal run length in hours, clamped to [5 min, 96 h]. */
function lognormal(random: Random, meanHours: number): number {
  const sigma = 0.9;
  const hours = meanHours * Math.exp(sigma * random.normal() - (sigma * sigma) / 2);
  return Math.min(96, Math.max(5 / 60, hours));
}

function pickNodes(ctx: TeamContext, random: Random): number {
  const cap = Math.max(1, Math.min(ctx.hosts, ctx.maxNodes));
  const u = random.next();
  const nodes = u < 0.65 ? 1 : u < 0.85 ? 2 : u < 0.95 ? 4 : random.int(2, cap);
  return Math.min(nodes, cap);
}

/** Skewed towards the first projects, as real teams have one main project. */
export function pickProject(ctx: Pick<TeamContext, 'includedProjects'>, random: Random): number {
  const n = ctx.includedProjects;
  return Math.min(n - 1, Math.floor(n * random.next() ** 2));
}

/**
 * Places jobs on hosts in start order so no two runs of a team overlap on a host except the
 * planted duplicate-init groups: a job waits until enough hosts are free. Jobs pushed past the
 * snapshot are dropped.
 */
export function scheduleJobs(ctx: TeamContext, jobs: Job[], random: Random): Job[] {
  const busy = new Array<number>(ctx.hosts).fill(Number.NEGATIVE_INFINITY);
  const sorted = [...jobs].sort((a, b) => a.start - b.start || a.order - b.order);
  const placed: Job[] = [];
  for (const job of sorted) {
    let free = busy.flatMap((until, h) => (until + HOST_GAP_SEC <= job.start ? [h] : []));
    if (free.length < job.nodes) {
      job.start = [...busy].sort((a, b) => a - b)[job.nodes - 1]! + HOST_GAP_SEC;
      free = busy.flatMap((until, h) => (until + HOST_GAP_SEC <= job.start ? [h] : []));
    }
    if (job.start >= ctx.snapshot - 600) continue;
    const offset = random.int(0, free.length - 1);
    job.hosts = Array.from({ length: job.nodes }, (_, k) => free[(offset + k) % free.length]!);
    // A duplicate group's ranks end within ±30 s of each other; keep the host busy past the last.
    const end = job.start + job.duration + (job.size > 1 ? 60 : 0);
    for (const h of job.hosts) busy[h] = end;
    placed.push(job);
  }
  return placed;
}
