/** Fleet sizes of `generate-fleet --size`. */
export const FLEET_SIZES = ['small', 'geniac', 'large'] as const;
export type FleetSize = (typeof FLEET_SIZES)[number];

export type SizePreset = {
  readonly companies: number;
  readonly projects: number;
  readonly runs: number;
  readonly days: number;
  /** Inline every events row (any server can load it) rather than a systemMetricsPattern. */
  readonly inlineMetrics: boolean;
  /** Upper bound of a team's mean run length: keeps `small` (inlined metrics) a few MB. */
  readonly maxMeanHours: number;
  /** Every team gets at least this many of each planted feature; beyond it they occur by chance. */
  readonly minPlantedPerTeam: number;
  /** How many teams run multi-day jobs: each is ~50 h of samples, too heavy to inline for every team. */
  readonly multiDayTeams: number;
};

export const SIZE_PRESETS: Readonly<Record<FleetSize, SizePreset>> = {
  small: {
    companies: 5,
    projects: 15,
    runs: 100,
    days: 14,
    inlineMetrics: true,
    maxMeanHours: 1,
    minPlantedPerTeam: 1,
    multiDayTeams: 1,
  },
  geniac: {
    companies: 17,
    projects: 200,
    runs: 20_000,
    days: 180,
    inlineMetrics: false,
    maxMeanHours: 30,
    minPlantedPerTeam: 1,
    multiDayTeams: Number.POSITIVE_INFINITY,
  },
  large: {
    companies: 170,
    projects: 2_000,
    runs: 200_000,
    days: 180,
    inlineMetrics: false,
    maxMeanHours: 30,
    minPlantedPerTeam: 1,
    multiDayTeams: Number.POSITIVE_INFINITY,
  },
};

/** Chance that a job beyond the per-team minimum carries each planted feature. */
export const FEATURE_RATES = {
  duplicateGroup: 0.01,
  noGpu: 0.02,
  ignoreTagged: 0.03,
  zeroLength: 0.01,
  noMetrics: 0.01,
  crossMidnight: 0.05,
  multiDay: 0.02,
  outsideAllocation: 0.01,
} as const;

export type Feature = keyof typeof FEATURE_RATES;

/**
 * What a fleet plants (`generate-fleet --profile`): `default` every feature of FEATURE_RATES and a
 * low-utilisation team; `healthy` nothing the checker should flag except duplicate-init groups
 * (see healthy-jobs.ts).
 */
export const FLEET_PROFILES = ['default', 'healthy'] as const;
export type FleetProfile = (typeof FLEET_PROFILES)[number];
