import { describe, expect, it } from 'vitest';
import type { MonthSums } from '../../../src/product/calculator/month-sums.js';
import {
  decodeMonthSums,
  encodeMonthSums,
  ignoreTagsKey,
  sumsMatch,
} from '../../../src/product/uploader/month-sums-file.js';

const SUMS: MonthSums = {
  month: '2025-01',
  rows: 4,
  runs: [
    { team: 'a', project: 'p', runId: 'r1' },
    { team: 'a', project: 'p', runId: 'r2' },
    { team: 'b', project: 'q', runId: 'r1' },
  ],
  days: [
    {
      team: 'a',
      date: '2025-01-02',
      rows: 3,
      deleted: 1,
      ignored: 0,
      // Doubles that print with many digits come back as the same doubles.
      gpuHours: 0.1 + 0.2,
      metricsHours: 1 / 3,
      sumUtil: 12.345678901234567,
      sumMem: 0,
      busyHours: 0.7 / 3,
      unmeasuredHours: 0.1,
      maxUtil: null,
      maxMem: 99.5,
      runs: [0, 1],
    },
    {
      team: 'b',
      date: '2025-01-03',
      rows: 1,
      deleted: 0,
      ignored: 1,
      gpuHours: 0,
      metricsHours: 0,
      sumUtil: 0,
      sumMem: 0,
      busyHours: 0,
      unmeasuredHours: 0,
      maxUtil: null,
      maxMem: null,
      runs: [],
    },
  ],
};
const SOURCE = { digest: 'abc==', ignoreTags: ['other_gpu'], extras: ['run_exists'] };

describe('the month sums file', () => {
  it('reads back exactly what was written', () => {
    const decoded = decodeMonthSums(encodeMonthSums(SUMS, SOURCE));
    expect(decoded).toEqual({ sums: SUMS, source: SOURCE });
    expect(decoded?.sums.days[0]?.gpuHours).toBe(0.30000000000000004);
  });

  it('is refused when damaged, of another format, or pointing at a run it does not list', () => {
    const text = encodeMonthSums(SUMS, SOURCE);
    expect(decodeMonthSums(text.slice(0, -5))).toBeUndefined();
    expect(decodeMonthSums(text.replace('month sums 2', 'month sums 3'))).toBeUndefined();
    // A file of the format before busy and unmeasured hours (docs/behaviour.md §13) is computed again.
    expect(decodeMonthSums(text.replace('month sums 2', 'month sums 1'))).toBeUndefined();
    expect(decodeMonthSums(text.replace('[0,1]', '[0,7]'))).toBeUndefined();
    expect(decodeMonthSums(text.replace('"rows":4', '"rows":-1'))).toBeUndefined();
  });

  it('matches only the month file it names and the ignore tags it was taken with', () => {
    const source = { ...SOURCE, ignoreTags: ignoreTagsKey(['Other_GPU', 'x', 'other_gpu']) };
    expect(sumsMatch(source, 'abc==', ignoreTagsKey(['X', 'OTHER_gpu']))).toBe(true);
    expect(sumsMatch(source, 'abd==', ignoreTagsKey(['x', 'other_gpu']))).toBe(false);
    expect(sumsMatch(source, 'abc==', ignoreTagsKey(['other_gpu']))).toBe(false);
  });
});
