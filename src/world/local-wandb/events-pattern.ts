import { patternLineCount, patternLines } from '../seed/metrics-pattern.js';
import type { MetricsPattern } from '../seed/types.js';
import { sampleEvenly } from './sampling.js';

/**
 * Event lines of a run seeded with a `systemMetricsPattern` (the fleet generator's compact form for large
 * fleets): only the sampled lines are computed, so a 10,000-line stream costs what the client asks for.
 */
export function patternEventLines(pattern: MetricsPattern, samples: number | null): string[] {
  const indices = sampleEvenly(
    Array.from({ length: patternLineCount(pattern) }, (_, i) => i),
    samples,
  );
  return patternLines(pattern, indices);
}

/** The stream's last line (what `Run.systemMetrics` shows), or "{}" for an empty stream. */
export function lastPatternLine(pattern: MetricsPattern): string {
  const count = patternLineCount(pattern);
  return count === 0 ? '{}' : (patternLines(pattern, [count - 1])[0] ?? '{}');
}

export { patternLineCount };
