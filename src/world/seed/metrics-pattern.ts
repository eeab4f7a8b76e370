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
  const writer = patternLineWriter(p, clockOf);
  return indices.map((i) => writer.line(i));
}

/** Line i of one pattern, as JSON text or as the JSON string literal holding that text. */
export type PatternLineWriter = {
  /** The line's JSON text (patternLines). Throws on an index outside [0, patternLineCount). */
  line(index: number): string;
  /** JSON.stringify(line(index)), written directly: the form an events answer carries it in. */
  literal(index: number): string;
};

/** What does not depend on the line (keys, each GPU's skew, the zone's clock) is worked out once. */
export function patternLineWriter(p: MetricsPattern, clockOf: ClockOf): PatternLineWriter {
  // Each form is set up when first asked for: a server answers with literals, patternLines wants lines.
  let plain: ((i: number) => string) | undefined;
  let escaped: ((i: number) => string) | undefined;
  return {
    line: (i) => {
      plain ??= lineTexts(p, clockOf, (text) => JSON.stringify(text));
      return plain(i);
    },
    literal: (i) => {
      // Inside a JSON string every `"` of the line is `\"`; keys are escaped as a whole (a label may hold
      // any character), the rest of a line (digits, `.-:,{}`, true, null) needs no escape.
      escaped ??= lineTexts(p, clockOf, (text) => JSON.stringify(JSON.stringify(text)).slice(1, -1));
      return `"${escaped(i)}"`;
    },
  };
}

/** Line i with its keys written by `key` (the key's JSON text, or that text escaped). */
function lineTexts(
  p: MetricsPattern,
  clockOf: ClockOf,
  key: (text: string) => string,
): (i: number) => string {
  const count = patternLineCount(p);
  const clock = clockOf(p.zone);
  const jitterMax = Math.min(JITTER_MAX_SEC, p.intervalSec);
  const suffix = p.labelSuffix ?? '';
  const gpus = Array.from({ length: p.gpus }, (_, g) => ({
    g,
    skew: (hash01(p.seed, g, 2) - 0.5) * 6,
    utilKey: key(`system.gpu.${g}.gpu${suffix}`),
    memoryKey: key(`system.gpu.${g}.memory${suffix}`),
    allocatedKey: key(`system.gpu.${g}.memoryAllocated${suffix}`),
  }));
  const cpuKey = key(`system.cpu${suffix}`);
  const [wandbKey, timestampKey, runtimeKey] = [key('_wandb'), key('_timestamp'), key('_runtime')];
  return (i) => {
    if (!Number.isInteger(i) || i < 0 || i >= count) {
      throw new InternalError(`pattern line ${i} outside [0, ${count})`);
    }
    const jitter = Math.floor(hash01(p.seed, i, 1) * jitterMax * 1000) / 1000;
    const timestampMs = Math.round((p.start + i * p.intervalSec + jitter) * 1000);
    const timestamp = timestampMs / 1000;
    const wave = Math.cos((2 * Math.PI * (clock.hour(timestamp) - p.util.peakHour)) / 24);
    const runtimeMs = Math.round((timestamp - p.start) * 1000);
    let line = `{${wandbKey}:true,${timestampKey}:${decimalJson(timestampMs, 3)},${runtimeKey}:${decimalJson(runtimeMs, 3)}`;
    for (const { g, skew, utilKey, memoryKey, allocatedKey } of gpus) {
      const utilTenths = clampTenths(
        p.util.base + p.util.amplitude * wave + skew + p.util.noise * (2 * hash01(p.seed, i, 3, g) - 1),
      );
      const util = utilTenths / 10;
      const memoryTenths = clampTenths(
        p.util.memBase + p.util.memPerUtil * util + (p.util.noise / 2) * (2 * hash01(p.seed, i, 4, g) - 1),
      );
      line += `,${utilKey}:${decimalJson(utilTenths, 1)},${memoryKey}:${decimalJson(memoryTenths, 1)}`;
      if (p.memoryAllocated) line += `,${allocatedKey}:${decimalJson(clampTenths(40 + util / 2), 1)}`;
    }
    return `${line},${cpuKey}:${decimalJson(clampTenths(5 + 20 * hash01(p.seed, i, 5)), 1)}}`;
  };
}

const POWERS_OF_TEN = [1, 10, 100, 1000];

/**
 * The JSON number `units / 10^places` (places ≤ 3) from its integer count of units, as JSON.stringify writes
 * that quotient (a non-finite one as null): the shortest decimal that reads back as the nearest double,
 * which for fewer than 16 significant digits is the decimal itself. Integer arithmetic instead of
 * formatting a double: the local server writes several of these per events line.
 */
export function decimalJson(units: number, places: number): string {
  if (!Number.isFinite(units)) return 'null';
  const scale = POWERS_OF_TEN[places] ?? 1;
  const magnitude = Math.abs(units);
  const fraction = magnitude % scale;
  const whole = (magnitude - fraction) / scale;
  const sign = units < 0 ? '-' : '';
  if (fraction === 0) return `${sign}${whole}`;
  const digits = String(fraction).padStart(places, '0').replace(/0+$/, '');
  return `${sign}${whole}.${digits}`;
}

/** Every line of the pattern, for seed files that inline their metrics. */
export function patternAllRows(p: MetricsPattern): EventRow[] {
  return patternRows(
    p,
    Array.from({ length: patternLineCount(p) }, (_, i) => i),
  );
}

/** A percentage clamped to [0, 100], in whole tenths. */
function clampTenths(value: number): number {
  return Math.round(Math.min(100, Math.max(0, value)) * 10);
}
