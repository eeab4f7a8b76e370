/** What an injected fault does to one request. */
export type Fault =
  | { kind: 'status'; status: 500 | 502 | 503 }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'reset' };

export type FaultOptions = { rate: number; seed: number; retryAfterSeconds?: number };

/** mulberry32: tiny, fast, and the same sequence for the same seed on every platform. */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Decides, request by request, whether to fail and how. Two draws per request whatever the outcome,
 * so the same seed and the same request sequence give the same faults.
 */
export function createFaultInjector(options: FaultOptions): () => Fault | undefined {
  const random = createPrng(options.seed);
  const retryAfterSeconds = options.retryAfterSeconds ?? 1;
  return () => {
    const hit = random() < options.rate;
    const pick = Math.floor(random() * 5);
    if (!hit) return undefined;
    if (pick === 0) return { kind: 'status', status: 500 };
    if (pick === 1) return { kind: 'status', status: 502 };
    if (pick === 2) return { kind: 'status', status: 503 };
    if (pick === 3) return { kind: 'rate-limit', retryAfterSeconds };
    return { kind: 'reset' };
  };
}
