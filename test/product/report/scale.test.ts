import { describe, expect, it } from 'vitest';
import { niceTicks, utilizationColor } from '../../../src/product/report/scale.js';

describe('niceTicks', () => {
  it.each([
    // rough step 384/4 = 96 → 100, top 400
    [384, [0, 100, 200, 300, 400]],
    // 1.75 → 2, top 8
    [7, [0, 2, 4, 6, 8]],
    // 250 is itself a nice step
    [1000, [0, 250, 500, 750, 1000]],
    // 863 → 1000, top 4000
    [3452, [0, 1000, 2000, 3000, 4000]],
    // 0.3 → 0.5, top 1.5
    [1.2, [0, 0.5, 1, 1.5]],
  ])('ticks for %d', (max, ticks) => {
    expect(niceTicks(max)).toEqual(ticks);
  });

  it('gives [0, 1] when there is nothing to scale', () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(Number.NaN)).toEqual([0, 1]);
  });
});

describe('utilizationColor', () => {
  it('runs from pale (0 %) through mid blue (50 %) to deep blue (100 %)', () => {
    expect(utilizationColor(0)).toBe('#eff3ff');
    expect(utilizationColor(50)).toBe('#6baed6');
    expect(utilizationColor(100)).toBe('#08306b');
  });

  it('interpolates between stops: 25 % is halfway from pale to mid (173, 208.5, 234.5 rounded)', () => {
    expect(utilizationColor(25)).toBe('#add1eb');
  });

  it('clamps values outside 0–100', () => {
    expect(utilizationColor(-5)).toBe('#eff3ff');
    expect(utilizationColor(150)).toBe('#08306b');
  });
});
