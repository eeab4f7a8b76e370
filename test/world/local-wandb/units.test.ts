import { describe, expect, it } from 'vitest';
import { sampleEvenly } from '../../../src/world/local-wandb/files/sampling.js';
import { validateSeed } from '../../../src/world/local-wandb/seeding/read-seed.js';
import { formatWandbDate, parseInstant } from '../../../src/world/seed/datetime.js';

describe('sampleEvenly', () => {
  it.each([
    [10, 100, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
    [10, 10, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
    // round(i * 9 / 3) for i = 0..3
    [10, 4, [0, 3, 6, 9]],
    // round(i * 9 / 4) = 0, 2.25→2, 4.5→5, 6.75→7, 9
    [10, 5, [0, 2, 5, 7, 9]],
    [10, 1, [0]],
    [10, 0, []],
  ])('%i items, samples %i', (n, samples, expected) => {
    expect(
      sampleEvenly(
        Array.from({ length: n }, (_, i) => i),
        samples,
      ),
    ).toEqual(expected);
  });
  it('returns everything when no limit is given', () => {
    expect(sampleEvenly([1, 2, 3], null)).toEqual([1, 2, 3]);
  });
});

describe('W&B DateTime', () => {
  it('emits UTC without zone or fraction', () => {
    expect(formatWandbDate(Date.UTC(2024, 10, 3, 0, 15, 0, 999))).toBe('2024-11-03T00:15:00');
  });
  it.each([
    ['2024-11-03T00:15:00', Date.UTC(2024, 10, 3, 0, 15)],
    ['2024-11-03T00:15:00Z', Date.UTC(2024, 10, 3, 0, 15)],
    ['2024-11-03T00:15:00.5', Date.UTC(2024, 10, 3, 0, 15, 0, 500)],
    ['2024-11-03T09:15:00+09:00', Date.UTC(2024, 10, 3, 0, 15)],
    ['1730592900.5', undefined],
    ['yesterday', undefined],
  ])('parses %s', (text, expected) => {
    expect(parseInstant(text)).toBe(expected);
  });
});

describe('validateSeed', () => {
  it('names the JSON path of every issue', () => {
    const result = validateSeed({
      runs: [
        {
          entity: 'e',
          project: 'p',
          name: 'r',
          createdAt: 'x',
          heartbeatAt: '2024-11-03T00:00:00',
          tags: [1],
        },
      ],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues).toContain('runs.0.createdAt: not an ISO date-time');
      expect(result.issues.some((i) => i.startsWith('runs.0.tags.0:'))).toBe(true);
    }
  });
  it('fills defaults', () => {
    const result = validateSeed({
      runs: [
        {
          entity: 'e',
          project: 'p',
          name: 'r',
          createdAt: '2024-11-03T00:00:00',
          heartbeatAt: '2024-11-03T01:00:00',
        },
      ],
    });
    expect(result.ok && result.value.runs[0]).toMatchObject({
      state: 'finished',
      tags: [],
      systemMetrics: [],
      config: {},
    });
  });
});
