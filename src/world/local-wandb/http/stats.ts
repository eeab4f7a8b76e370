/** Counters behind GET /_local/stats. */
export type Stats = {
  totalRequests: number;
  requests: Record<string, number>;
  faultsInjected: number;
  faults: Record<string, number>;
  bytesServed: number;
  bytesReceived: number;
  /** Request body bytes by operation: `upload` is what clients uploaded (W&B stores and bills by it). */
  bytesReceivedByOperation: Record<string, number>;
};

/** Request counters served at /_local/stats (benchmarks and tests read the request counts there). */
export type StatsRecorder = {
  count(operation: string, bytesIn: number): void;
  fault(kind: string): void;
  served(bytes: number): void;
  snapshot(): Stats;
};

export function createStats(): StatsRecorder {
  const stats: Stats = {
    totalRequests: 0,
    requests: {},
    faultsInjected: 0,
    faults: {},
    bytesServed: 0,
    bytesReceived: 0,
    bytesReceivedByOperation: {},
  };
  return {
    count(operation: string, bytesIn: number): void {
      stats.totalRequests += 1;
      stats.requests[operation] = (stats.requests[operation] ?? 0) + 1;
      stats.bytesReceived += bytesIn;
      stats.bytesReceivedByOperation[operation] = (stats.bytesReceivedByOperation[operation] ?? 0) + bytesIn;
    },
    fault(kind: string): void {
      stats.faultsInjected += 1;
      stats.faults[kind] = (stats.faults[kind] ?? 0) + 1;
    },
    served(bytes: number): void {
      stats.bytesServed += bytes;
    },
    snapshot: (): Stats => structuredClone(stats),
  };
}
