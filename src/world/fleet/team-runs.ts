import type { Company } from '../../product/config/types.js';
import type { IsoDate } from '../../product/shared/dates.js';
import { createRandom, deriveSeed, type Random } from '../seed/random.js';
import { createZoneClock, formatWandbTime, type ZoneClock } from '../seed/zone.js';
import { planHealthyJobs } from './healthy-jobs.js';
import { displayName, RUN_TAGS, recased, runId, teamUsers } from './names.js';
import { feedRules, type RuleFeed } from './rule-feed.js';
import type { FleetProfile } from './sizes.js';
import { type Job, planJobs, scheduleJobs, type TeamContext } from './team-jobs.js';
import type { MetricsPattern, RunInfo, SeedRun, SeedUser, UtilModel } from './types.js';

/** A generated run plus what was planted in it (for the manifest). */
export type PlannedRun = {
  readonly run: SeedRun;
  readonly duplicateGroup: number | undefined;
  readonly noGpu: 'null' | 'empty-gpu' | undefined;
  readonly ignoreTagged: boolean;
  readonly noMetrics: boolean;
  /** updatedAt left at createdAt (nothing documents that W&B moves it with heartbeats). */
  readonly staleUpdatedAt: boolean;
  readonly ruleFed: RuleFeed | undefined;
  readonly nodes: number;
  /** createdAt and heartbeatAt, epoch seconds. */
  readonly createdSec: number;
  readonly endSec: number;
};

export type TeamInput = TeamContext & {
  readonly company: Company;
  readonly projectNames: readonly string[];
  readonly zone: string;
  readonly gpusPerNode: number;
  readonly ignoreTags: readonly string[];
  readonly lowUtilization: boolean;
  readonly fleetProfile: FleetProfile;
};

const GPU_NAME = 'NVIDIA H100 80GB HBM3';
const CPUS_PER_NODE = 192;
/** A team's W&B users, a handful. */
const USERS_PER_TEAM = { min: 3, max: 6 } as const;
/** Share of a team's jobs (at least one) whose runs name no W&B user (`user: null`). */
const NO_USER_SHARE = 0.05;
/**
 * Label of the stream users are drawn from, derived from the team's seed: the runs' own stream, and
 * so every other field of the fleet, stays as it was before runs had users.
 */
const USER_STREAM = 0x05e7;

/** All runs of one team, in createdAt order; a pure function of the input (and its seed). */
export function teamRuns(input: TeamInput): PlannedRun[] {
  const random = createRandom(input.seed);
  const clock = createZoneClock(input.zone);
  const profile = teamProfile(random, input.lowUtilization);
  const jobs =
    input.fleetProfile === 'healthy'
      ? planHealthyJobs(input, random)
      : scheduleJobs(input, planJobs(input, random, clock), random);
  const users = jobUsers(input.seed, jobs.length);
  const taken = new Set<string>();
  const out: PlannedRun[] = [];
  jobs.forEach((job, group) => {
    for (let rank = 0; rank < job.size; rank++) {
      out.push(
        makeRun(input, job, rank, job.size > 1 ? group : undefined, {
          random,
          clock,
          profile,
          taken,
          seq: out.length + 1,
          user: users[group] ?? null,
        }),
      );
    }
  });
  return out;
}

/**
 * Who launched each job (every rank of a duplicate-init group is one person's launch): one of the
 * team's users, the first ones busier, or null for NO_USER_SHARE of the jobs (at least one).
 * Drawn from the team's own user stream.
 */
function jobUsers(seed: number, jobs: number): (SeedUser | null)[] {
  const random = createRandom(deriveSeed(seed, USER_STREAM));
  const users = teamUsers(random, random.int(USERS_PER_TEAM.min, USERS_PER_TEAM.max));
  const picked = Array.from(
    { length: jobs },
    (): SeedUser | null => users[Math.floor(users.length * random.next() ** 1.5)] ?? null,
  );
  const order = Array.from({ length: jobs }, (_, i) => i);
  const userless = Math.min(jobs, Math.max(1, Math.round(NO_USER_SHARE * jobs)));
  for (let k = 0; k < userless; k++) {
    // A partial Fisher-Yates shuffle: the first `userless` places get distinct jobs.
    const j = random.int(k, jobs - 1);
    [order[k], order[j]] = [order[j]!, order[k]!];
    picked[order[k]!] = null;
  }
  return picked;
}

type Shared = {
  random: Random;
  clock: ZoneClock;
  profile: UtilModel;
  taken: Set<string>;
  seq: number;
  user: SeedUser | null;
};

function makeRun(input: TeamInput, job: Job, rank: number, group: number | undefined, s: Shared): PlannedRun {
  const { random } = s;
  // Duplicate-init ranks start within seconds of each other and stop within ±30 s.
  const created = job.start + (rank === 0 ? 0 : rank + random.int(0, 3));
  let end = job.start + job.duration + (job.size > 1 ? random.int(-30, 30) : 0);
  if (job.duration > 0) end = Math.max(end, created + 60);
  let state = job.duration === 0 ? random.pick(['crashed', 'failed']) : pickState(random);
  if (end > input.snapshot) {
    end = Math.max(created + 60, input.snapshot - random.int(0, 300));
    state = 'running';
  }
  const noGpu = job.feature === 'noGpu' ? (random.chance(0.5) ? 'null' : 'empty-gpu') : undefined;
  const runInfo: RunInfo | null =
    noGpu === 'null'
      ? null
      : noGpu === 'empty-gpu'
        ? { gpu: '', gpuCount: 0, cpuCount: 64 }
        : { gpu: GPU_NAME, gpuCount: gpusOnNode(input, job, random), cpuCount: CPUS_PER_NODE };
  const createdLocalDate = localDate(s.clock, created);
  const feed =
    noGpu === undefined && (job.nodes > 1 ? random.chance(0.85) : random.chance(0.3))
      ? feedRules(input.company, input.gpusPerNode, createdLocalDate, job.nodes, random)
      : undefined;
  const ignoreTagged = job.feature === 'ignoreTagged' && input.ignoreTags.length > 0;
  const tags = RUN_TAGS.filter(() => random.chance(0.2));
  if (ignoreTagged) tags.push(recased(random, random.pick(input.ignoreTags)));
  const noMetrics = job.feature === 'noMetrics';
  const pattern: MetricsPattern = {
    start: created,
    end,
    intervalSec: random.int(18, 27),
    gpus: runInfo?.gpu ? runInfo.gpuCount : 0,
    seed: random.uint32(),
    labelSuffix: random.chance(job.nodes > 1 ? 0.4 : 0.08) ? `/l:node${random.int(1, job.nodes)}` : null,
    memoryAllocated: random.chance(0.2),
    util: runUtil(random, s.profile),
    zone: input.zone,
  };
  const host = job.hosts[0] ?? 0;
  // One lag value in five leaves updatedAt at creation; derived from the draw, so the sequence is unchanged.
  const lag = random.int(0, 60);
  const staleUpdatedAt = lag % 5 === 0;
  const base = {
    entity: input.team,
    project: input.projectNames[job.project] ?? input.projectNames[0] ?? 'default',
    name: runId(random, s.taken),
    displayName: displayName(random, s.seq),
    description: feed?.description ?? (random.chance(0.3) ? `${job.nodes} node run` : ''),
    state,
    tags,
    host: `${input.team}-node-${String(host + 1).padStart(2, '0')}`,
    createdAt: formatWandbTime(created),
    heartbeatAt: formatWandbTime(end),
    updatedAt: formatWandbTime(staleUpdatedAt ? created : end + lag),
    runInfo,
    user: s.user,
    config: { ...baseConfig(random), ...feed?.config },
    summaryMetrics: {
      _runtime: end - created,
      _timestamp: end,
      loss: round(random.float(0.8, 3.5)),
      ...feed?.summary,
    },
  };
  const run: SeedRun = noMetrics
    ? { ...base, systemMetrics: [] }
    : { ...base, systemMetricsPattern: pattern };
  return {
    run,
    duplicateGroup: group,
    noGpu,
    ignoreTagged,
    noMetrics,
    staleUpdatedAt,
    ruleFed: feed,
    nodes: job.nodes,
    createdSec: created,
    endSec: end,
  };
}

/**
 * Most runs see the whole node; a few are pinned to fewer GPUs (CUDA_VISIBLE_DEVICES), except in
 * the healthy profile, whose usage per host must stay in its band.
 */
function gpusOnNode(input: TeamInput, job: Job, random: Random): number {
  if (input.fleetProfile === 'healthy' || job.nodes > 1 || !random.chance(0.05)) return input.gpusPerNode;
  return random.pick([1, 2, 4].filter((n) => n < input.gpusPerNode).concat([input.gpusPerNode]));
}

function pickState(random: Random): string {
  const u = random.next();
  return u < 0.8 ? 'finished' : u < 0.88 ? 'crashed' : u < 0.95 ? 'failed' : 'killed';
}

function teamProfile(random: Random, isLow: boolean): UtilModel {
  return isLow
    ? {
        base: random.float(3, 7),
        amplitude: random.float(1, 3),
        peakHour: 14,
        noise: 2,
        memBase: 2,
        memPerUtil: 0.3,
      }
    : {
        base: random.float(45, 85),
        amplitude: random.float(5, 20),
        peakHour: random.float(13, 16),
        noise: random.float(3, 10),
        memBase: random.float(5, 15),
        memPerUtil: random.float(0.3, 0.6),
      };
}

/** Per-run variation around the team profile; one run in ten idles (a stuck or debugging job). */
function runUtil(random: Random, team: UtilModel): UtilModel {
  const base = random.chance(0.1)
    ? random.float(1, 8)
    : Math.min(95, Math.max(1, team.base + 8 * random.normal()));
  return {
    base: round(base),
    amplitude: round(team.amplitude),
    peakHour: round(team.peakHour),
    noise: round(team.noise),
    memBase: round(team.memBase),
    memPerUtil: round(team.memPerUtil),
  };
}

function baseConfig(random: Random): Record<string, unknown> {
  return {
    _wandb: { value: { cli_version: '0.19.1', python_version: '3.11.9', is_jupyter_run: false } },
    learning_rate: { value: random.pick([1e-4, 2e-4, 3e-4, 1e-5]) },
    batch_size: { value: random.pick([8, 16, 32, 64]) },
    model_name: { value: random.pick(['llama-7b', 'llama-13b', 'mistral-7b', 'qwen-14b']) },
  };
}

function localDate(clock: ZoneClock, epochSec: number): IsoDate {
  return new Date(clock.dayNumber(epochSec) * 86_400_000).toISOString().slice(0, 10) as IsoDate;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
