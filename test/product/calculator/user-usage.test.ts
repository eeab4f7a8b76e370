// Who uses an allocation (docs/behaviour.md §13): per W&B user over T's week and month, worked by hand.
import { describe, expect, it } from 'vitest';
import { createUserUsage } from '../../../src/product/calculator/user-usage.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import { makeConfig, makeRunDay } from '../../helpers/builders.js';

// T = Wed 2025-04-09; weeks start on Sunday, so T's week is Apr 6–9 and T's month Apr 1–9.
const T = '2025-04-09' as IsoDate;
const config = makeConfig({
  ignore_tags: ['other_gpu'],
  companies: [
    {
      company: 'acme',
      teams: ['acme-team'],
      schedule: [
        { date: '2025-04-01', assigned_gpu_node: 1 },
        { date: '2025-04-05', assigned_gpu_node: 0 },
        { date: '2025-04-06', assigned_gpu_node: 1 },
      ],
    },
  ],
});
const row = (date: string, runId: string, username: string, hours: number, util: number | null) =>
  makeRunDay({
    date,
    company_name: 'acme-team',
    run_id: runId,
    username,
    duration_hour: hours,
    gpu_count: 8,
    average_gpu_utilization: util,
  });

describe('createUserUsage', () => {
  const users = createUserUsage(config, T);
  for (const r of [
    // aiko: Apr 2 (month only) 10 h × 8 = 80 GPU h at 50 % → 40 busy; Apr 7 (week) 1.5 h × 8 = 12 at 33.3 %.
    row('2025-04-02', 'a1', 'aiko', 10, 50),
    row('2025-04-07', 'a2', 'aiko', 1.5, 100 / 3),
    // ben: the same run on two days of the week, 3 h each, no metrics: 48 GPU h, 0 busy, one run.
    row('2025-04-08', 'b1', 'ben', 3, null),
    row('2025-04-09', 'b1', 'ben', 3, null),
    // No user: 2 h × 8 = 16 at 25 % → 4 busy, on Apr 9.
    row('2025-04-09', 'n1', '', 2, 25),
    // Left out: Apr 5 has no nodes, Apr 10 is after T, and an ignore-tagged run.
    row('2025-04-05', 'x1', 'aiko', 5, 90),
    row('2025-04-10', 'x2', 'aiko', 5, 90),
    makeRunDay({
      date: '2025-04-09',
      company_name: 'acme-team',
      run_id: 'x3',
      username: 'ben',
      tags: ['other_gpu'],
    }),
  ])
    users.add(r);

  it('sums GPU-hours, busy GPU-hours and runs per user, month before week, most hours first', () => {
    // 12 × (100/3) / 100 = 4 busy exactly; 40 + 4 = 44 busy for aiko's month.
    expect(users.finish()).toEqual([
      {
        company: 'acme',
        period: 'month',
        periodStart: '2025-04',
        username: 'aiko',
        gpuHour: 92,
        busyGpuHour: 44,
        nRuns: 2,
      },
      {
        company: 'acme',
        period: 'month',
        periodStart: '2025-04',
        username: 'ben',
        gpuHour: 48,
        busyGpuHour: 0,
        nRuns: 1,
      },
      {
        company: 'acme',
        period: 'month',
        periodStart: '2025-04',
        username: '(unknown)',
        gpuHour: 16,
        busyGpuHour: 4,
        nRuns: 1,
      },
      {
        company: 'acme',
        period: 'week',
        periodStart: '2025-04-06',
        username: 'ben',
        gpuHour: 48,
        busyGpuHour: 0,
        nRuns: 1,
      },
      {
        company: 'acme',
        period: 'week',
        periodStart: '2025-04-06',
        username: '(unknown)',
        gpuHour: 16,
        busyGpuHour: 4,
        nRuns: 1,
      },
      {
        company: 'acme',
        period: 'week',
        periodStart: '2025-04-06',
        username: 'aiko',
        gpuHour: 12,
        busyGpuHour: 4,
        nRuns: 1,
      },
    ]);
  });
});
