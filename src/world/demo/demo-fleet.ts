import type { Config } from '../../product/config/types.js';
import type { IsoDate } from '../../product/shared/dates.js';
import { type Fleet, planFleet } from '../fleet/generate.js';
import { teamRuns } from '../fleet/team-runs.js';
import { DEMO_DAYS } from './demo-config.js';

/** Share of a team's hosts kept busy: the small preset's one-hour runs would leave every company near 1 %. */
const BUSY_SHARE = 0.75;
/** Nodes an average job uses (the fleet's node mix: 65 % one node, 20 % two, …). */
const MEAN_NODES_PER_JOB = 1.6;
const MAX_MEAN_HOURS = 30;
/** Jobs started per host and active day: enough that no day is left empty by chance. */
const JOBS_PER_HOST_DAY = 1.2;

/**
 * The `small` fleet (every planted feature: duplicate-init groups, runs without GPU info,
 * ignore tags, …) for the DEMO_DAYS days ending on `end`, with runs long enough that the
 * companies use a realistic share of their allocation. Metrics stay patterns (computed by the
 * server on demand), so long runs cost nothing to seed.
 */
export function planDemoFleet(config: Config, end: IsoDate, seed: number): Fleet {
  const fleet = planFleet(config, { size: 'small', seed, days: DEMO_DAYS, endDate: end });
  const teams = fleet.teams.map((team) => {
    const active =
      Math.max(0, Math.min(team.genEnd, team.allocEnd) - Math.max(team.genStart, team.allocStart)) / 3600;
    const runCount = Math.max(team.runCount, Math.round((JOBS_PER_HOST_DAY * team.hosts * active) / 24));
    const meanHours = (BUSY_SHARE * team.hosts * active) / (runCount * MEAN_NODES_PER_JOB);
    return { ...team, runCount, meanHours: Math.min(MAX_MEAN_HOURS, Math.max(0.5, meanHours)) };
  });
  return {
    ...fleet,
    teams,
    *runs() {
      for (const team of teams) for (const planned of teamRuns(team)) yield { team, planned };
    },
  };
}
