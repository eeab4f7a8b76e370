import { describe, expect, it } from 'vitest';
import { createRandom, deriveSeed, hash01, seedFromText } from '../../../src/world/seed/random.js';

describe('createRandom', () => {
  it('repeats its stream for a seed and differs between seeds', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const first = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(first);
  });

  it('keeps int() within its inclusive bounds and reaches both ends', () => {
    const random = createRandom(1);
    const seen = new Set(Array.from({ length: 2000 }, () => random.int(2, 8)));
    expect([...seen].sort()).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('hash01', () => {
  it('is a pure function in [0, 1) that spreads neighbouring inputs', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => hash01(7, i, 3));
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(hash01(7, 5, 3)).toBe(values[5]);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });

  it('derives distinct seeds per label', () => {
    expect(deriveSeed(1, 0)).not.toBe(deriveSeed(1, 1));
  });
});

describe('seedFromText', () => {
  it('takes decimal seeds as they are and hashes other text', () => {
    expect(seedFromText('42')).toBe(42);
    expect(seedFromText('demo')).toBe(seedFromText('demo'));
    expect(seedFromText('demo')).not.toBe(seedFromText('demo2'));
  });
});
