// A month's sums per team and day (docs/behaviour.md §14), the nightly job's cache of §6 and §13's sums.
import { describe, expect, it } from 'vitest';
import { createMonthSumsBuilder } from '../../../src/product/calculator/month-sums.js';
import { ignoreTagMatcher } from '../../../src/product/calculator/usage-filter.js';
import { makeRunDay } from '../../helpers/builders.js';

describe('createMonthSumsBuilder', () => {
  it('counts every row, sums the counted ones, and lists their runs per team and day', () => {
    const sums = createMonthSumsBuilder('2025-04', ignoreTagMatcher(['other_gpu']));
    for (const row of [
      // 4 h × 8 = 32 GPU h at 50 %: 16 busy; max 70.
      makeRunDay({
        date: '2025-04-02',
        run_id: 'r1',
        duration_hour: 4,
        average_gpu_utilization: 50,
        max_gpu_utilization: 70,
      }),
      // 2 h × 8 = 16 GPU h without metrics: unmeasured.
      makeRunDay({ date: '2025-04-02', run_id: 'r2', duration_hour: 2 }),
      // Counted as rows only.
      makeRunDay({ date: '2025-04-02', run_id: 'r3', extra: { run_exists: 'deleted' } }),
      makeRunDay({ date: '2025-04-02', run_id: 'r4', tags: ['Other_GPU'] }),
      // The same run on another team's day: its own run entry.
      makeRunDay({
        date: '2025-04-03',
        company_name: 'beta-team',
        run_id: 'r1',
        duration_hour: 1,
        gpu_count: 16,
      }),
    ])
      sums.add(row);
    const month = sums.finish();
    expect(month.rows).toBe(5);
    expect(month.runs).toEqual([
      { team: 'alpha-team', project: 'proj', runId: 'r1' },
      { team: 'alpha-team', project: 'proj', runId: 'r2' },
      { team: 'beta-team', project: 'proj', runId: 'r1' },
    ]);
    expect(month.days).toEqual([
      {
        team: 'alpha-team',
        date: '2025-04-02',
        rows: 4,
        deleted: 1,
        ignored: 1,
        gpuHours: 48,
        metricsHours: 4,
        sumUtil: 200,
        sumMem: 0,
        busyHours: 16,
        unmeasuredHours: 16,
        maxUtil: 70,
        maxMem: null,
        runs: [0, 1],
      },
      {
        team: 'beta-team',
        date: '2025-04-03',
        rows: 1,
        deleted: 0,
        ignored: 0,
        gpuHours: 16,
        metricsHours: 0,
        sumUtil: 0,
        sumMem: 0,
        busyHours: 0,
        unmeasuredHours: 16,
        maxUtil: null,
        maxMem: null,
        runs: [2],
      },
    ]);
  });
});
