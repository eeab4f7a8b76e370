export type {
  EventRow,
  MetricsPattern,
  RunInfo,
  SeedHeader,
  SeedProject,
  SeedRun,
  SeedUser,
  UtilModel,
} from '../seed/types.js';
export type RunRef = { readonly entity: string; readonly project: string; readonly run: string };

/** What the generator planted, so integration tests can assert the product finds exactly that. */
export type PlantedManifest = {
  /**
   * N (2–8) overlapping runs started within seconds on one host by one team; `overlap` is while two or
   * more of them are live (epoch seconds), the span `check` reports.
   */
  readonly duplicateGroups: {
    entity: string;
    project: string;
    host: string;
    runs: string[];
    overlap: { start: number; end: number };
  }[];
  readonly noGpuRuns: (RunRef & { runInfo: 'null' | 'empty-gpu' })[];
  readonly ignoreTaggedRuns: RunRef[];
  /** createdAt == heartbeatAt. */
  readonly zeroLengthRuns: RunRef[];
  /** Runs without any events row, with their interval (epoch seconds). */
  readonly noMetricsRuns: (RunRef & { createdSec: number; endSec: number })[];
  /** Runs whose updatedAt stayed at createdAt while their heartbeat moved on. */
  readonly staleUpdatedAtRuns: RunRef[];
  /** Runs spanning more than one local date. */
  readonly crossMidnightRuns: RunRef[];
  /** Runs longer than 48 hours. */
  readonly multiDayRuns: RunRef[];
  /** Runs whose interval misses the company's allocation window entirely. */
  readonly outsideAllocationRuns: RunRef[];
  /** Runs whose config, summary or notes feed the company's gpu_count rule `rule`. */
  readonly ruleFedRuns: (RunRef & { rule: number; nodes: number; expectedGpuCount: number })[];
  /** Projects the company's include/ignore pattern leaves out. */
  readonly excludedProjects: { entity: string; project: string }[];
  /** Teams whose utilisation model is mostly idle (low-utilisation alerts). */
  readonly lowUtilizationTeams: string[];
  /** Companies whose usage on `date` was cut to a fraction of their usual load (the demo plants one). */
  readonly utilizationDrops: { company: string; date: string }[];
};

export type FleetManifest = {
  readonly seed: number;
  readonly size: string;
  /** The generator profile; absent for `default`. */
  readonly profile?: string;
  readonly timezone: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly companies: string[];
  readonly counts: { entities: number; projects: number; runs: number };
  readonly planted: PlantedManifest;
};
