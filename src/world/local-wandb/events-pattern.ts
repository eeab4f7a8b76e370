import { patternLineCount, patternLines } from '../seed/metrics-pattern.js';
import type { MetricsPattern } from '../seed/types.js';
import { zoneClocks } from '../seed/zone.js';
import { sampleEvenly } from './sampling.js';

/**
 * Event lines of runs seeded with a `systemMetricsPattern` (the fleet generator's compact form for large
 * fleets): only the sampled lines are computed, so a 10,000-line stream costs what the client asks for.
 */
export type PatternEvents = {
  /** The sampled lines (all of them for `null`). */
  lines(pattern: MetricsPattern, samples: number | null): string[];
  /** The stream's last line (what `Run.systemMetrics` shows), or "{}" for an empty stream. */
  last(pattern: MetricsPattern): string;
};

/** One per server: the zones' clocks are shared by every run it answers for. */
export function createPatternEvents(): PatternEvents {
  const clockOf = zoneClocks();
  return {
    lines(pattern, samples) {
      const indices = sampleEvenly(
        Array.from({ length: patternLineCount(pattern) }, (_, i) => i),
        samples,
      );
      return patternLines(pattern, indices, clockOf);
    },
    last(pattern) {
      const count = patternLineCount(pattern);
      return count === 0 ? '{}' : (patternLines(pattern, [count - 1], clockOf)[0] ?? '{}');
    },
  };
}

export { patternLineCount };
