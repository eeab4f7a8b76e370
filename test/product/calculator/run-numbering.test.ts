import { describe, expect, it } from 'vitest';
import { createPairLog, createRunInterner } from '../../../src/product/calculator/run-numbering.js';

describe('createRunInterner', () => {
  it('numbers runs in order of appearance, a run_id shared by teams or projects apart', () => {
    const runs = createRunInterner();
    expect([
      runs.intern(0, 'p', 'r1'),
      runs.intern(0, 'p', 'r2'),
      runs.intern(0, 'p', 'r1'),
      runs.intern(1, 'p', 'r1'),
      runs.intern(0, 'q', 'r1'),
      runs.intern(1, 'p', 'r1'),
    ]).toEqual([0, 1, 0, 2, 3, 2]);
    expect(runs.count()).toBe(4);
  });
});

describe('createPairLog', () => {
  it('groups the second numbers by the first, in the order they were pushed', () => {
    const log = createPairLog();
    for (const [a, b] of [
      [2, 7],
      [0, 1],
      [2, 3],
      [0, 1],
    ] as const)
      log.push(a, b);
    const byFirst = log.groupByFirst(3);
    expect([...byFirst(0)]).toEqual([1, 1]);
    expect([...byFirst(1)]).toEqual([]);
    expect([...byFirst(2)]).toEqual([7, 3]);
  });
});
