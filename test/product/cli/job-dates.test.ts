import { describe, expect, it } from 'vitest';
import { resolveJobDates } from '../../../src/product/cli/job-dates.js';
import { UsageError } from '../../../src/product/shared/errors.js';
import { makeConfig } from '../../helpers/builders.js';

const config = makeConfig({
  companies: [
    { company: 'a', teams: ['a'], schedule: [{ date: '2024-11-01', assigned_gpu_node: 1 }] },
    { company: 'b', teams: ['b'], schedule: [{ date: '2024-10-25', assigned_gpu_node: 1 }] },
  ],
});
// 2025-01-10 00:30 JST is still 2025-01-09 in UTC: the local date decides "yesterday".
const now = new Date('2025-01-09T15:30:00Z');

describe('resolveJobDates (docs/behaviour.md §3)', () => {
  it.each([
    ['neither flag: yesterday only', {}, { start: '2025-01-09', end: '2025-01-09' }],
    [
      'only --start-date: up to yesterday',
      { startDate: '2025-01-01' },
      { start: '2025-01-01', end: '2025-01-09' },
    ],
    [
      'only --end-date: that one day, never a backfill from the earliest schedule date (2024-10-25)',
      { endDate: '2024-12-31' },
      { start: '2024-12-31', end: '2024-12-31' },
    ],
    ['both', { startDate: '2024-12-01', endDate: '2024-12-31' }, { start: '2024-12-01', end: '2024-12-31' }],
    [
      'today is allowed as T',
      { endDate: '2025-01-10', startDate: '2025-01-10' },
      { start: '2025-01-10', end: '2025-01-10' },
    ],
  ])('%s', (_name, flags, expected) => {
    expect(resolveJobDates(flags, config, now)).toEqual(expected);
  });

  it.each([
    ['a non-date', { endDate: '2025-1-9' }, /--end-date: "2025-1-9" is not a calendar date/],
    ['an impossible date', { startDate: '2024-02-30' }, /--start-date: "2024-02-30" is not a calendar date/],
    [
      'start after end',
      { startDate: '2025-01-05', endDate: '2025-01-04' },
      /--start-date 2025-01-05 is after the end date 2025-01-04/,
    ],
    [
      'end after today',
      { endDate: '2025-01-11' },
      /--end-date: 2025-01-11 is after today \(2025-01-10 in Asia\/Tokyo\)/,
    ],
  ])('rejects %s with exit 2', (_name, flags, message) => {
    let error: unknown;
    try {
      resolveJobDates(flags, config, now);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(message);
  });
});
