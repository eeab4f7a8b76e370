import { describe, expect, it } from 'vitest';
import { roundHalfUp } from '../../../src/product/shared/round.js';

describe('roundHalfUp', () => {
  it.each([
    [0.05, 1, 0.1],
    [0.15, 1, 0.2],
    [0.25, 1, 0.3],
    [2.45, 1, 2.5],
    [1.005, 2, 1.01],
    [18.333333, 1, 18.3],
    [25.625, 1, 25.6],
    [99.95, 1, 100],
    [12, 1, 12],
    [0, 2, 0],
    [1e-9, 1, 0],
  ])('%d to %d places is %d', (value, places, expected) => {
    expect(roundHalfUp(value, places)).toBe(expected);
  });
});
