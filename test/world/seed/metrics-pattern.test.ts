import { describe, expect, it } from 'vitest';
import {
  decimalJson,
  patternAllRows,
  patternLineCount,
  patternLines,
  patternLineWriter,
  patternRows,
} from '../../../src/world/seed/metrics-pattern.js';
import type { MetricsPattern } from '../../../src/world/seed/types.js';
import { createZoneClock } from '../../../src/world/seed/zone.js';

// 2025-04-10 05:00:00 UTC = 14:00 in Asia/Tokyo.
const TOKYO_2PM = Date.UTC(2025, 3, 10, 5, 0, 0) / 1000;

const pattern = (overrides: Partial<MetricsPattern> = {}): MetricsPattern => ({
  start: TOKYO_2PM,
  end: TOKYO_2PM + 3600,
  intervalSec: 20,
  gpus: 2,
  seed: 123,
  labelSuffix: null,
  memoryAllocated: false,
  util: { base: 50, amplitude: 20, peakHour: 14, noise: 0, memBase: 10, memPerUtil: 0.5 },
  zone: 'Asia/Tokyo',
  ...overrides,
});

describe('patternLineCount', () => {
  it('counts whole intervals in [start, end)', () => {
    expect(patternLineCount(pattern())).toBe(180); // 3600 / 20
    expect(patternLineCount(pattern({ end: TOKYO_2PM + 99 }))).toBe(4); // floor(99 / 20)
    expect(patternLineCount(pattern({ end: TOKYO_2PM }))).toBe(0); // zero-length run
    expect(patternLineCount(pattern({ end: TOKYO_2PM - 10 }))).toBe(0);
  });
});

describe('patternRows', () => {
  it('returns rows for exactly the indices below the line count, in the order asked', () => {
    const p = pattern();
    const all = patternAllRows(p);
    expect(all).toHaveLength(180);
    expect(patternRows(p, [179, 3])).toEqual([all[179], all[3]]);
    expect(() => patternRows(p, [180])).toThrow(/outside/);
    expect(() => patternRows(p, [-1])).toThrow(/outside/);
  });

  it('spaces lines 15–30 s apart, all inside [start, end)', () => {
    for (const intervalSec of [18, 20, 27]) {
      const rows = patternAllRows(pattern({ intervalSec, end: TOKYO_2PM + 6 * 3600 }));
      const times = rows.map((r) => r._timestamp as number);
      expect(times[0]).toBeGreaterThanOrEqual(TOKYO_2PM);
      expect(times[times.length - 1]).toBeLessThan(TOKYO_2PM + 6 * 3600);
      for (let i = 1; i < times.length; i++) {
        const gap = (times[i] as number) - (times[i - 1] as number);
        expect(gap).toBeGreaterThan(15);
        expect(gap).toBeLessThan(30);
      }
    }
  });

  it('writes W&B events keys for every GPU, with the label suffix and memoryAllocated when asked', () => {
    const [row] = patternRows(pattern({ labelSuffix: '/l:node1', memoryAllocated: true }), [0]);
    expect(Object.keys(row ?? {}).sort()).toEqual(
      [
        '_runtime',
        '_timestamp',
        '_wandb',
        'system.cpu/l:node1',
        'system.gpu.0.gpu/l:node1',
        'system.gpu.0.memory/l:node1',
        'system.gpu.0.memoryAllocated/l:node1',
        'system.gpu.1.gpu/l:node1',
        'system.gpu.1.memory/l:node1',
        'system.gpu.1.memoryAllocated/l:node1',
      ].sort(),
    );
    expect(row?._wandb).toBe(true);
    expect(row?._runtime).toBeCloseTo((row?._timestamp as number) - TOKYO_2PM, 3);
  });

  it('writes no GPU keys for a node without GPUs', () => {
    const [row] = patternRows(pattern({ gpus: 0 }), [0]);
    expect(Object.keys(row ?? {}).filter((k) => k.startsWith('system.gpu'))).toEqual([]);
  });

  it('follows the day/night curve of the local time zone', () => {
    // noise 0: utilisation = 50 + 20 cos(2π(h − 14)/24) + a per-GPU offset within ±3.
    const day = patternRows(pattern(), [0])[0]; // 14:00 local: 50 + 20 = 70
    const night = patternRows(pattern({ start: TOKYO_2PM + 12 * 3600, end: TOKYO_2PM + 13 * 3600 }), [0])[0]; // 02:00: 30
    const dayUtil = day?.['system.gpu.0.gpu'] as number;
    const nightUtil = night?.['system.gpu.0.gpu'] as number;
    expect(dayUtil).toBeGreaterThanOrEqual(67);
    expect(dayUtil).toBeLessThanOrEqual(73);
    expect(nightUtil).toBeGreaterThanOrEqual(27);
    expect(nightUtil).toBeLessThanOrEqual(33);
    // memory = 10 + 0.5 × utilisation
    expect(day?.['system.gpu.0.memory']).toBeCloseTo(10 + 0.5 * dayUtil, 0);
  });

  it('is a pure function of the pattern and the index', () => {
    expect(patternRows(pattern(), [42])).toEqual(patternRows(pattern(), [42]));
    expect(patternRows(pattern({ seed: 124 }), [42])).not.toEqual(patternRows(pattern(), [42]));
  });

  it('writes its lines exactly as JSON.stringify writes the rows', () => {
    const indices = Array.from({ length: 180 }, (_, i) => i);
    for (const p of [
      pattern(),
      pattern({
        labelSuffix: '/l:GPU "A"',
        memoryAllocated: true,
        gpus: 8,
        util: { ...pattern().util, noise: 7 },
      }),
      pattern({ gpus: 0, intervalSec: 18.5, start: TOKYO_2PM + 0.123 }),
    ]) {
      const lines = patternLines(p, indices, createZoneClock);
      expect(lines.map((line) => JSON.stringify(JSON.parse(line)))).toEqual(lines);
      // The form an events answer carries them in: each line as a JSON string.
      const writer = patternLineWriter(p, createZoneClock);
      expect(indices.map((i) => writer.literal(i))).toEqual(lines.map((line) => JSON.stringify(line)));
    }
  });

  it('writes a count of tenths or thousandths as JSON.stringify writes the quotient', () => {
    const counts: [number, number][] = [];
    for (let t = -1000; t <= 1000; t += 1) counts.push([t, 1]);
    for (let k = 0; k < 5000; k += 1) {
      counts.push([1_745_000_000_000 + k * 7919, 3], [k * 997, 3], [-k * 13, 3], [k, 2]);
    }
    for (const [units, places] of counts) {
      expect(decimalJson(units, places)).toBe(JSON.stringify(units / 10 ** places));
    }
    expect(decimalJson(Number.NaN, 1)).toBe('null');
  });
});
