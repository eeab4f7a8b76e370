/** A run as the tracker uses it: GraphQL fields validated, times parsed (epoch ms, UTC). */
export type RunRecord = {
  readonly team: string;
  readonly project: string;
  /** GraphQL `name`: the run id. */
  readonly runId: string;
  readonly displayName: string | null;
  readonly description?: string | null;
  readonly state: string;
  readonly tags: readonly string[];
  readonly host: string | null;
  readonly createdAt: number;
  readonly heartbeatAt: number;
  readonly runInfo: {
    readonly gpu: string | null;
    readonly gpuCount: number | null;
    readonly cpuCount: number | null;
  } | null;
  /** The W&B user who ran it, null when W&B names none. */
  readonly username: string | null;
  readonly config: unknown;
  readonly summaryMetrics: unknown;
  /** Lines of its events stream, when W&B reports it (sizes the metrics requests). */
  readonly eventsLineCount?: number | null;
};

/** One system-metrics event row (`_timestamp` in seconds). */
export type MetricSample = Readonly<Record<string, unknown>>;

export type SkipReason =
  | 'no-gpu-info'
  | 'zero-length'
  | 'heartbeat-before-creation'
  | 'outside-range'
  | 'text-out-of-bounds';

export type SkippedRun = {
  readonly team: string;
  readonly project: string;
  readonly runId: string;
  readonly reason: SkipReason;
};
