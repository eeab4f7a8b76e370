/**
 * The seed-file format read by the local W&B server (`local-server --seed FILE`), as the fleet
 * generator writes it. DateTimes are UTC 'YYYY-MM-DDTHH:MM:SS' without a zone suffix, as W&B
 * returns them.
 */

/** Parameters of the diurnal utilisation model of metrics-pattern.ts (all in percent / hours). */
export type UtilModel = {
  /** Mean GPU utilisation over a day. */
  readonly base: number;
  /** Half the day/night swing: utilisation peaks at base + amplitude at `peakHour` local time. */
  readonly amplitude: number;
  /** Local hour (0–24) of the daily peak. */
  readonly peakHour: number;
  /** Uniform noise of ± noise around the smooth curve. */
  readonly noise: number;
  /** Memory-access utilisation = memBase + memPerUtil × utilisation (± noise / 2). */
  readonly memBase: number;
  readonly memPerUtil: number;
};

/**
 * A compact description of a run's events stream, for fleets too large to inline every sample.
 * Line i of the stream is `patternRows(p, [i])[0]`; there are `patternLineCount(p)` lines.
 */
export type MetricsPattern = {
  /** First sample time, epoch seconds (the run's createdAt). */
  readonly start: number;
  /** Epoch seconds; every sample is strictly before it (the run's heartbeatAt). */
  readonly end: number;
  /** Nominal spacing; each line gets a deterministic jitter below JITTER_MAX_SEC. */
  readonly intervalSec: number;
  /** GPUs on the node: keys system.gpu.0 … system.gpu.<gpus-1>; 0 for a node without GPUs. */
  readonly gpus: number;
  readonly seed: number;
  /** Appended to every system.* key, e.g. '/l:node1' (multi-node shared mode), or null. */
  readonly labelSuffix: string | null;
  /** Also write system.gpu.<i>.memoryAllocated (which the tracker must ignore). */
  readonly memoryAllocated: boolean;
  readonly util: UtilModel;
  /** IANA zone whose local hour drives the day/night pattern. */
  readonly zone: string;
};

export type EventRow = Readonly<Record<string, number | boolean>>;

export type RunInfo = { readonly gpu: string; readonly gpuCount: number; readonly cpuCount: number };

/** A run's W&B user (`Run.user`): `name` (the display name) defaults to `username`. */
export type SeedUser = { readonly username: string; readonly name?: string };

export type SeedRun = {
  readonly entity: string;
  readonly project: string;
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly state: string;
  readonly tags: readonly string[];
  readonly host: string;
  readonly createdAt: string;
  readonly heartbeatAt: string;
  readonly updatedAt: string;
  readonly runInfo: RunInfo | null;
  /** Absent: the seed's viewer (the API key's user) ran it; null: W&B names no user (`user: null`). */
  readonly user?: SeedUser | null;
  readonly config: Readonly<Record<string, unknown>>;
  readonly summaryMetrics: Readonly<Record<string, unknown>>;
} & ({ readonly systemMetrics: readonly EventRow[] } | { readonly systemMetricsPattern: MetricsPattern });

export type SeedProject = { readonly entity: string; readonly name: string; readonly createdAt: string };

export type SeedHeader = {
  readonly entities: readonly { readonly name: string }[];
  readonly viewer: string;
  readonly projects: readonly SeedProject[];
};
