import type { Company } from '../../product/config/types.js';
import { nodesOn } from '../../product/shared/calendar.js';
import { addDays, localDateOf, startOfLocalDay } from '../../product/shared/dates.js';
import type { Random } from '../seed/random.js';
import { HOST_GAP_SEC, type Job, pickProject, type TeamContext } from './team-jobs.js';

/**
 * The `healthy` profile: a fleet in which `check` should find nothing but the planted
 * duplicate-init groups. Every allocated host runs one-node jobs for a share of each local day
 * drawn from HEALTHY_BUSY_SHARE, so every company's daily utilisation stays in that band: never
 * under the 10 % alert, never under half of its trailing median, never above its allocation.
 * Duplicate-init groups and the runs in projects the company's pattern leaves out go on one extra
 * host per team, outside the allocated hosts' accounting.
 */

/** Share of each local day an allocated host is busy (the gaps between runs shave off under 1 %). */
export const HEALTHY_BUSY_SHARE = { min: 0.45, max: 0.65 } as const;

const HOUR = 3600;
/**
 * Chance that a host's last run of a day goes on past midnight, and by how long: at least half an
 * hour, so the next day holds metric samples of it (a tail of seconds would have none).
 */
const SPILL_CHANCE = 0.25;
const SPILL_SEC = { min: HOUR / 2, max: 3 * HOUR } as const;
const MAX_RUNS_PER_HOST_DAY = 3;
/**
 * Duplicate-init ranks run 15–40 minutes. Each rank counts the node's GPUs, so 8 ranks × 40 min
 * count as 5.4 node-hours: less than the 35 % of a node-day (8.4 h) that even the busiest allocated
 * host leaves free, so usage stays within the allocation.
 */
const GROUP_SEC = { min: 15 * 60, max: 40 * 60 } as const;
/** Groups start between these local hours and never reach midnight; excluded-project runs come before. */
const GROUP_START_HOUR = { min: 8, max: 20 } as const;
const EXCLUDED_SLOT_SEC = 1.5 * HOUR;
/** About one duplicate-init group per week of allocation (at least the size's per-team minimum). */
const DAYS_PER_GROUP = 7;

export type HealthyContext = TeamContext & { readonly company: Company; readonly zone: string };

/** A local day of the fleet, [start, end) in epoch seconds, and the team's hosts allocated on it. */
type Day = { readonly start: number; readonly end: number; readonly hosts: number };

export function planHealthyJobs(ctx: HealthyContext, random: Random): Job[] {
  const days = fleetDays(ctx);
  const jobs: Job[] = [];
  const add = (job: Omit<Job, 'order'>) => {
    jobs.push({ ...job, order: jobs.length });
  };
  const allocatedHosts = Math.max(0, ...days.map((d) => d.hosts));
  for (let host = 0; host < allocatedHosts; host++) {
    // Seconds of the previous day's last run that fall on this day.
    let spillIn = 0;
    days.forEach((day, i) => {
      if (host >= day.hosts) return;
      const own =
        Math.round(random.float(HEALTHY_BUSY_SHARE.min, HEALTHY_BUSY_SHARE.max) * (day.end - day.start)) -
        spillIn;
      const next = days[i + 1];
      const spillOut =
        next !== undefined && host < next.hosts && random.chance(SPILL_CHANCE)
          ? random.int(SPILL_SEC.min, SPILL_SEC.max)
          : 0;
      const earliest = day.start + spillIn + HOST_GAP_SEC;
      // The day's runs fill [start, start + own); a spilling block ends exactly at midnight.
      let at = spillOut > 0 ? day.end - own : random.int(earliest, day.end - HOST_GAP_SEC - own);
      const pieces = splitBlock(own, random);
      pieces.forEach((piece, k) => {
        const duration = piece + (k === pieces.length - 1 ? spillOut : 0);
        add({
          feature: undefined,
          project: pickProject(ctx, random),
          size: 1,
          nodes: 1,
          start: at,
          duration,
          hosts: [host],
        });
        at += piece + HOST_GAP_SEC;
      });
      spillIn = spillOut;
    });
  }

  const active = days.filter((d) => d.hosts > 0);
  const extraHost = allocatedHosts;
  const dayOrder = shuffle(
    active.map((_, i) => i),
    random,
  );
  const groups =
    active.length === 0 ? 0 : Math.max(ctx.minPlanted, Math.ceil(active.length / DAYS_PER_GROUP));
  for (let g = 0; g < groups; g++) {
    const day = active[dayOrder[g % dayOrder.length]!]!;
    add({
      feature: 'duplicateGroup',
      project: pickProject(ctx, random),
      size: random.int(2, 8),
      nodes: 1,
      start: day.start + random.int(GROUP_START_HOUR.min * HOUR, GROUP_START_HOUR.max * HOUR),
      duration: random.int(GROUP_SEC.min, GROUP_SEC.max),
      hosts: [extraHost],
    });
  }
  // One run in each project the company's pattern leaves out, in a night slot of its own (a day
  // holds five slots before the groups' hours; teams have one or two such projects).
  for (let p = 0; p < ctx.excludedProjects && active.length > 0; p++) {
    const day = active[dayOrder[p % dayOrder.length]!]!;
    const slot = day.start + HOUR / 2 + Math.floor(p / active.length) * EXCLUDED_SLOT_SEC;
    add({
      feature: 'excludedProject',
      project: ctx.includedProjects + p,
      size: 1,
      nodes: 1,
      start: slot + random.int(0, HOUR / 4),
      duration: random.int(HOUR / 2, HOUR),
      hosts: [extraHost],
    });
  }
  return jobs.sort((a, b) => a.start - b.start || a.order - b.order);
}

/** The fleet's local days, each with this team's share of the company's nodes on it. */
function fleetDays(ctx: HealthyContext): Day[] {
  const days: Day[] = [];
  const teamIndex = Math.max(0, ctx.company.teams.indexOf(ctx.team));
  const teams = Math.max(1, ctx.company.teams.length);
  let date = localDateOf(new Date(ctx.genStart * 1000), ctx.zone);
  let start = startOfLocalDay(date, ctx.zone) / 1000;
  while (start < ctx.genEnd) {
    const next = addDays(date, 1);
    const end = startOfLocalDay(next, ctx.zone) / 1000;
    const nodes = nodesOn(ctx.company, date);
    // The company's nodes dealt out over its teams, the first teams taking the remainder.
    const hosts = Math.floor(nodes / teams) + (teamIndex < nodes % teams ? 1 : 0);
    days.push({ start, end, hosts });
    date = next;
    start = end;
  }
  return days;
}

/** 1–3 run lengths filling `total` seconds with HOST_GAP_SEC between them. */
function splitBlock(total: number, random: Random): number[] {
  const count = random.int(1, MAX_RUNS_PER_HOST_DAY);
  const net = total - (count - 1) * HOST_GAP_SEC;
  const weights = Array.from({ length: count }, () => random.float(1, 3));
  const sum = weights.reduce((s, w) => s + w, 0);
  const pieces = weights.map((w) => Math.floor((net * w) / sum));
  pieces[count - 1] = (pieces[count - 1] ?? 0) + net - pieces.reduce((s, p) => s + p, 0);
  return pieces;
}

function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
