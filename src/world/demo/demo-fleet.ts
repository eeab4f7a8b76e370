import type { Config } from '../../product/config/types.js';
import { nodesOn } from '../../product/shared/calendar.js';
import { compareCodePoints } from '../../product/shared/compare.js';
import { addDays, type IsoDate, startOfLocalDay } from '../../product/shared/dates.js';
import { type Fleet, planFleet } from '../fleet/generate.js';
import { type PlannedRun, teamRuns } from '../fleet/team-runs.js';
import { DEMO_DAYS } from './demo-config.js';

/** Share of a team's hosts kept busy: the small preset's one-hour runs would leave every company near 1 %. */
const BUSY_SHARE = 0.75;
/** Nodes an average job uses (the fleet's node mix: 65 % one node, 20 % two, …). */
const MEAN_NODES_PER_JOB = 1.6;
const MAX_MEAN_HOURS = 30;
/** Jobs started per host and active day: enough that no day is left empty by chance. */
const JOBS_PER_HOST_DAY = 1.2;
/**
 * The planted utilisation drop: of the plain runs the dropping company starts on the last day only
 * this many are kept, so that day's use falls well under half its usual (docs/behaviour.md §8) while
 * the company still has rows on it.
 */
const DROP_KEPT_RUNS = 1;

/**
 * The `small` fleet (every planted feature: duplicate-init groups, runs without GPU info,
 * ignore tags, …) for the DEMO_DAYS days ending on `end`, with runs long enough that the
 * companies use a realistic share of their allocation, and one planted utilisation drop on `end`
 * (in the manifest's `utilizationDrops`). Metrics stay patterns (computed by the server on demand),
 * so long runs cost nothing to seed.
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
  const dropping = droppingCompany(config, end);
  const lastDay = {
    start: startOfLocalDay(end, config.timezone) / 1000,
    end: startOfLocalDay(addDays(end, 1), config.timezone) / 1000,
  };
  const drops = dropping === undefined ? [] : [{ company: dropping, date: end }];
  return {
    ...fleet,
    teams,
    *runs() {
      for (const team of teams) {
        let plainOnLastDay = 0;
        for (const planned of teamRuns(team)) {
          const isCut =
            team.company.company === dropping &&
            isPlain(planned) &&
            planned.createdSec >= lastDay.start &&
            planned.createdSec < lastDay.end &&
            plainOnLastDay++ >= DROP_KEPT_RUNS;
          if (!isCut) yield { team, planned };
        }
      }
    },
    manifestBuilder: () => {
      const builder = fleet.manifestBuilder();
      return {
        add: builder.add,
        finish: () => {
          const manifest = builder.finish();
          return { ...manifest, planted: { ...manifest.planted, utilizationDrops: drops } };
        },
      };
    },
  };
}

/** The company with the fewest nodes on `end` (ties: by name): a small allocation shows a drop most plainly. */
function droppingCompany(config: Config, end: IsoDate): string | undefined {
  return config.companies
    .map((c) => ({ company: c.company, nodes: nodesOn(c, end) }))
    .filter((c) => c.nodes > 0)
    .sort((a, b) => a.nodes - b.nodes || compareCodePoints(a.company, b.company))[0]?.company;
}

/** A run carrying no planted feature: cutting it changes only the day's usage. */
function isPlain(planned: PlannedRun): boolean {
  return (
    planned.duplicateGroup === undefined &&
    planned.noGpu === undefined &&
    !planned.ignoreTagged &&
    !planned.noMetrics &&
    planned.createdSec < planned.endSec
  );
}
