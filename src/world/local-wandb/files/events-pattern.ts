import { type PatternLineWriter, patternLineCount, patternLineWriter } from '../../seed/metrics-pattern.js';
import type { MetricsPattern } from '../../seed/types.js';
import { zoneClocks } from '../../seed/zone.js';
import { sampleEvenly } from './sampling.js';

/**
 * One events line of a pattern, written only when the answer is: JSON.stringify (and anything else that
 * reads it as JSON) gets the line's text through toJSON; the server's serializer (jsonBytes) writes its
 * JSON string literal directly through jsonText. A 10× fleet's night is 1.4 GB of these lines; made at
 * the moment they are written, they never outlive a young-generation collection.
 */
export class PatternLine {
  constructor(
    private readonly writer: PatternLineWriter,
    private readonly index: number,
  ) {}

  toJSON(): string {
    return this.writer.line(this.index);
  }

  /** Equal to JSON.stringify(this). */
  jsonText(): string {
    return this.writer.literal(this.index);
  }
}

/**
 * Event lines of runs seeded with a `systemMetricsPattern` (the fleet generator's compact form for large
 * fleets): only the sampled lines are computed, so a 10,000-line stream costs what the client asks for.
 */
export type PatternEvents = {
  /** The sampled lines (all of them for `null`), each written when the answer is. */
  lines(pattern: MetricsPattern, samples: number | null): PatternLine[];
  /** The stream's last line (what `Run.systemMetrics` shows), or "{}" for an empty stream. */
  last(pattern: MetricsPattern): string;
};

/** One per server: the zones' clocks are shared by every run it answers for. */
export function createPatternEvents(): PatternEvents {
  const clockOf = zoneClocks();
  return {
    lines(pattern, samples) {
      const writer = patternLineWriter(pattern, clockOf);
      const indices = sampleEvenly(
        Array.from({ length: patternLineCount(pattern) }, (_, i) => i),
        samples,
      );
      return indices.map((i) => new PatternLine(writer, i));
    },
    last(pattern) {
      const count = patternLineCount(pattern);
      return count === 0 ? '{}' : patternLineWriter(pattern, clockOf).line(count - 1);
    },
  };
}

export { patternLineCount };
