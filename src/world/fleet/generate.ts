import type { Company, Config } from '../../product/config/types.js';
import { addDays, type IsoDate, startOfLocalDay } from '../../product/shared/dates.js';
import { createRandom, deriveSeed, hash01 } from '../seed/random.js';
import { formatWandbTime } from '../seed/zone.js';
import { defaultEndDate, selectCompanies, synthesizeCompanies } from './companies.js';
import { globToRegExp, nameMatching } from './glob.js';
import { createManifestBuilder, type ManifestBuilder } from './manifest.js';
import { PROJECT_WORDS } from './names.js';
import { type FleetProfile, type FleetSize, SIZE_PRESETS } from './sizes.js';
import { type PlannedRun, type TeamInput, teamRuns } from './team-runs.js';
import type { SeedHeader, SeedProject } from './types.js';

export type FleetOptions = {
  readonly size: FleetSize;
  readonly seed: number;
  /** Days in the fleet, ending on endDate; default from the size. */
  readonly days?: number | undefined;
  /** Last local date with runs; default the day before the earliest allocation end (see defaultEndDate). */
  readonly endDate?: IsoDate | undefined;
  /** What is planted; default 'default' (see FLEET_PROFILES). */
  readonly profile?: FleetProfile | undefined;
};

/** A planned fleet: header and team inputs are built; runs are generated lazily, team by team. */
export type Fleet = {
  readonly seed: number;
  readonly size: FleetSize;
  readonly profile: FleetProfile;
  readonly startDate: IsoDate;
  readonly endDate: IsoDate;
  readonly header: SeedHeader;
  readonly companies: readonly Company[];
  /** Companies not in the input config (write them with --config-out). */
  readonly synthesized: readonly Company[];
  readonly teams: readonly TeamInput[];
  /** Generates every run again on each call (deterministic), without materialising metrics. */
  runs(): Generator<{ team: TeamInput; planned: PlannedRun }>;
  manifestBuilder(): ManifestBuilder;
};

const DAY = 86_400;
/** The W&B snapshot is taken this long after the last date ends (the nightly job's start). */
const SNAPSHOT_DELAY_SEC = 6 * 3600;

export function planFleet(config: Config, options: FleetOptions): Fleet {
  const preset = SIZE_PRESETS[options.size];
  const profile = options.profile ?? 'default';
  const days = options.days ?? preset.days;
  const fromConfig = selectCompanies(config, preset.companies, options.size);
  const endDate = options.endDate ?? defaultEndDate(fromConfig, days);
  const startDate = addDays(endDate, -(days - 1));
  const synthesized = synthesizeCompanies(
    preset.companies - fromConfig.length,
    options.seed,
    startDate,
    endDate,
  );
  const companies = [...fromConfig, ...synthesized];
  const zone = config.timezone;
  const genStart = startOfLocalDay(startDate, zone) / 1000;
  const genEnd = startOfLocalDay(addDays(endDate, 1), zone) / 1000;

  const slots = companies.flatMap((company) =>
    company.teams.map((team) => ({ company, team, weight: teamWeight(company, genStart, genEnd, zone) })),
  );
  const totalWeight = slots.reduce((sum, s) => sum + s.weight, 0);
  const lowIndex = options.seed % slots.length;
  const teams: TeamInput[] = slots.map(({ company, team, weight }, index) => {
    const share = weight / totalWeight;
    const runCount = Math.max(10, Math.round(preset.runs * share));
    const projects = projectNames(company, Math.max(2, Math.round(preset.projects * share)));
    const maxNodes = Math.max(1, ...company.schedule.map((e) => e.assigned_gpu_node));
    const hosts = Math.max(2, Math.ceil(maxNodes / company.teams.length));
    const { allocStart, allocEnd } = allocation(company, zone);
    const activeHours = Math.max(DAY, Math.min(genEnd, allocEnd) - Math.max(genStart, allocStart)) / 3600;
    return {
      team,
      company,
      seed: deriveSeed(options.seed, index),
      genStart,
      genEnd,
      snapshot: genEnd + SNAPSHOT_DELAY_SEC,
      allocStart,
      allocEnd,
      hosts,
      maxNodes,
      runCount,
      // Hosts about half busy: mean run length from host-hours over runs (× ~1.6 nodes per run).
      meanHours: Math.min(preset.maxMeanHours, Math.max(0.5, (0.5 * hosts * activeHours) / (runCount * 1.6))),
      minPlanted: preset.minPlantedPerTeam,
      hasMultiDay: index < preset.multiDayTeams,
      includedProjects: projects.included.length,
      excludedProjects: projects.excluded.length,
      projectNames: [...projects.included, ...projects.excluded],
      zone,
      gpusPerNode: config.gpus_per_node,
      ignoreTags: config.ignore_tags,
      lowUtilization: profile === 'default' && (index === lowIndex || hash01(options.seed, index, 77) < 0.05),
      fleetProfile: profile,
    };
  });

  const header = seedHeader(config, teams, options.seed, genStart);
  return {
    seed: options.seed,
    size: options.size,
    profile,
    startDate,
    endDate,
    header,
    companies,
    synthesized,
    teams,
    *runs() {
      for (const team of teams) for (const planned of teamRuns(team)) yield { team, planned };
    },
    manifestBuilder: () =>
      createManifestBuilder({
        seed: options.seed,
        size: options.size,
        // Written only for other profiles, so default manifests stay as they were.
        ...(profile === 'default' ? {} : { profile }),
        timezone: zone,
        startDate,
        endDate,
        companies: companies.map((c) => c.company),
        counts: { entities: header.entities.length, projects: header.projects.length },
        excludedProjects: teams.flatMap((t) =>
          t.projectNames.slice(t.includedProjects).map((project) => ({ entity: t.team, project })),
        ),
        lowUtilizationTeams: teams.filter((t) => t.lowUtilization).map((t) => t.team),
      }),
  };
}

/** Bigger allocations run more jobs; teams idle over the whole range still get a few runs. */
function teamWeight(company: Company, genStart: number, genEnd: number, zone: string): number {
  const maxNodes = Math.max(1, ...company.schedule.map((e) => e.assigned_gpu_node));
  const { allocStart, allocEnd } = allocation(company, zone);
  const overlap = Math.max(0, Math.min(genEnd, allocEnd) - Math.max(genStart, allocStart));
  return (maxNodes ** 0.7 * Math.max(0.05, overlap / (genEnd - genStart))) / company.teams.length;
}

/** A company's allocation window in epoch seconds: [first schedule date 00:00, the day after its closing date 00:00). */
export function allocation(company: Company, zone: string): { allocStart: number; allocEnd: number } {
  const first = company.schedule[0];
  const last = company.schedule[company.schedule.length - 1];
  const allocStart = first ? startOfLocalDay(first.date, zone) / 1000 : Number.NEGATIVE_INFINITY;
  const allocEnd =
    last && last.assigned_gpu_node === 0
      ? startOfLocalDay(addDays(last.date, 1), zone) / 1000
      : Number.POSITIVE_INFINITY;
  return { allocStart, allocEnd };
}

/** Project names: those the company's include/ignore pattern keeps, and a few it leaves out. */
function projectNames(company: Company, count: number): { included: string[]; excluded: string[] } {
  const include = company.include_project_pattern;
  const ignore = company.ignore_project_pattern;
  const words = Array.from({ length: count }, (_, k) =>
    k < PROJECT_WORDS.length
      ? PROJECT_WORDS[k]!
      : `${PROJECT_WORDS[k % PROJECT_WORDS.length]}-${Math.floor(k / 20)}`,
  );
  const unique = (names: (string | undefined)[]) => [
    ...new Set(names.filter((n): n is string => n !== undefined)),
  ];
  if (include) {
    const matches = globToRegExp(include);
    const included = unique(words.map((w) => nameMatching(include, w))).slice(0, Math.max(1, count - 1));
    // About a fifth left out (at least one), even when the pattern admits a single name.
    const excluded = unique(words.map((w) => `scratch-${w}`).filter((n) => !matches.test(n))).slice(
      0,
      Math.max(1, Math.round(count / 5)),
    );
    return { included, excluded };
  }
  const ignored = ignore ? globToRegExp(ignore) : undefined;
  const included = unique(words.map((w) => (ignored?.test(w) ? `proj-${w}` : w))).slice(
    0,
    Math.max(1, count - 1),
  );
  const excluded = ignore ? unique([nameMatching(ignore, 'tmp')]) : [];
  return { included: ignore ? included : unique(words), excluded };
}

function seedHeader(config: Config, teams: readonly TeamInput[], seed: number, genStart: number): SeedHeader {
  const random = createRandom(deriveSeed(seed, 0xfeed));
  const projectCreated = () => formatWandbTime(genStart - random.int(1, 60) * DAY + random.int(0, DAY - 1));
  const entityNames = [...teams.map((t) => t.team), config.dashboard.entity, config.dataset.entity];
  const projects: SeedProject[] = teams.flatMap((t) =>
    t.projectNames.map((name) => ({ entity: t.team, name, createdAt: projectCreated() })),
  );
  for (const target of [config.dashboard, config.dataset]) {
    if (!projects.some((p) => p.entity === target.entity && p.name === target.project)) {
      projects.push({ entity: target.entity, name: target.project, createdAt: projectCreated() });
    }
  }
  return {
    entities: [...new Set(entityNames)].map((name) => ({ name })),
    viewer: config.dashboard.entity,
    projects,
  };
}
