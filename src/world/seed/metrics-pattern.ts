import { InternalError } from '../../product/shared/errors.js';
import { hash01 } from './random.js';
import type { EventRow, MetricsPattern } from './types.js';
import { createZoneClock, type ZoneClock } from './zone.js';

/** A zone's clock: createZoneClock, or a cache of clocks (zoneClocks) when many patterns are written. */
export type ClockOf = (zone: string) => ZoneClock;

/**
 * Events rows of a run described by a MetricsPattern. Both functions are pure: line i is a
 * function of (pattern, i) only, so a server can serve any sample of a 10,000-line stream
 * without generating the rest.
 *
 * Line i: `_timestamp = start + i × intervalSec + jitter(i)`, jitter in [0, JITTER_MAX_SEC)
 * (rounded to ms), so consecutive lines are (intervalSec − 3, intervalSec + 3) seconds apart —
 * 15–30 s for intervalSec in [18, 27]. Values: utilisation = base + amplitude × cos(2π(h −
 * peakHour)/24) + a small per-GPU offset ± noise, h the local hour in `zone`; memory follows
 * utilisation. Values are clamped to [0, 100] and rounded to 0.1.
 */

/** Upper bound (exclusive) of a line's timestamp jitter, seconds. */
export const JITTER_MAX_SEC = 3;

/** Number of lines: every line lies in [start, end); a zero-length run has none. */
export function patternLineCount(p: MetricsPattern): number {
  if (!(p.end > p.start) || !(p.intervalSec > 0)) return 0;
  return Math.floor((p.end - p.start) / p.intervalSec);
}

/** The lines at `indices` (in the order given). Throws on an index outside [0, patternLineCount). */
export function patternRows(p: MetricsPattern, indices: readonly number[]): EventRow[] {
  return patternLines(p, indices, createZoneClock).map((line) => JSON.parse(line) as EventRow);
}

/**
 * The same lines as JSON text, exactly as JSON.stringify writes the rows (key order, number form), built
 * without the row objects: a server answering for a large fleet writes millions of them.
 */
export function patternLines(p: MetricsPattern, indices: readonly number[], clockOf: ClockOf): string[] {
  const count = patternLineCount(p);
  const clock = clockOf(p.zone);
  const jitterMax = Math.min(JITTER_MAX_SEC, p.intervalSec);
  const suffix = p.labelSuffix ?? '';
  // What does not depend on the line: each GPU's keys (as JSON) and skew.
  const gpus = Array.from({ length: p.gpus }, (_, g) => ({
    g,
    skew: (hash01(p.seed, g, 2) - 0.5) * 6,
    utilKey: JSON.stringify(`system.gpu.${g}.gpu${suffix}`),
    memoryKey: JSON.stringify(`system.gpu.${g}.memory${suffix}`),
    allocatedKey: JSON.stringify(`system.gpu.${g}.memoryAllocated${suffix}`),
  }));
  const cpuKey = JSON.stringify(`system.cpu${suffix}`);
  return indices.map((i) => {
    if (!Number.isInteger(i) || i < 0 || i >= count) {
      throw new InternalError(`pattern line ${i} outside [0, ${count})`);
    }
    const jitter = Math.floor(hash01(p.seed, i, 1) * jitterMax * 1000) / 1000;
    const timestamp = round3(p.start + i * p.intervalSec + jitter);
    const wave = Math.cos((2 * Math.PI * (clock.hour(timestamp) - p.util.peakHour)) / 24);
    let line = `{"_wandb":true,"_timestamp":${json(timestamp)},"_runtime":${json(round3(timestamp - p.start))}`;
    for (const { g, skew, utilKey, memoryKey, allocatedKey } of gpus) {
      const util = clampRound(
        p.util.base + p.util.amplitude * wave + skew + p.util.noise * (2 * hash01(p.seed, i, 3, g) - 1),
      );
      const memory = clampRound(
        p.util.memBase + p.util.memPerUtil * util + (p.util.noise / 2) * (2 * hash01(p.seed, i, 4, g) - 1),
      );
      line += `,${utilKey}:${json(util)},${memoryKey}:${json(memory)}`;
      if (p.memoryAllocated) line += `,${allocatedKey}:${json(clampRound(40 + util / 2))}`;
    }
    return `${line},${cpuKey}:${json(clampRound(5 + 20 * hash01(p.seed, i, 5)))}}`;
  });
}

/** A number as JSON.stringify writes it (a non-finite one as null). */
const json = (value: number): string => (Number.isFinite(value) ? String(value) : 'null');

/** Every line of the pattern, for seed files that inline their metrics. */
export function patternAllRows(p: MetricsPattern): EventRow[] {
  return patternRows(
    p,
    Array.from({ length: patternLineCount(p) }, (_, i) => i),
  );
}

function clampRound(value: number): number {
  return Math.round(Math.min(100, Math.max(0, value)) * 10) / 10;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
