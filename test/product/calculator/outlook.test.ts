// The allocation outlook (docs/behaviour.md §13) from daily rows and the schedule, worked by hand.
import { describe, expect, it } from 'vitest';
import { allocationOutlook } from '../../../src/product/calculator/outlook.js';
import type { UsageRow } from '../../../src/product/calculator/periods.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import { makeConfig } from '../../helpers/builders.js';
import { usage } from '../../helpers/report.js';

// T = 2025-04-10; April has 30 days, so 20 days of April come after T. 1 node = 192 GPU h a day.
const T = '2025-04-10' as IsoDate;
const company = (name: string, schedule: [string, number][]) => ({
  company: name,
  teams: [`${name}-team`],
  schedule: schedule.map(([date, nodes]) => ({ date, assigned_gpu_node: nodes })),
});
const config = makeConfig({
  insight: { target_use_percent: 50 },
  companies: [
    company('steady', [['2025-04-01', 1]]),
    company('late', [['2025-04-20', 2]]),
    company('ended', [
      ['2025-03-01', 1],
      ['2025-04-03', 0],
    ]),
    company('gone', [
      ['2025-01-01', 1],
      ['2025-03-01', 0],
    ]),
  ],
});
const day = (name: string, date: string, hours: number): UsageRow => usage(name, date, hours, 192);

const daily: UsageRow[] = [
  // steady: 96 h on each of Apr 1–3, 0 on Apr 4–10 (rows with 0 h), so the trailing week Apr 4–10 is 0 %.
  ...['01', '02', '03'].map((d) => day('steady', `2025-04-${d}`, 96)),
  ...['04', '05', '06', '07', '08', '09', '10'].map((d) => day('steady', `2025-04-${d}`, 0)),
  // ended: 1 node Mar 1 – Apr 2; 192 h on Apr 1, 0 on Apr 2; March's days do not count in April.
  day('ended', '2025-03-31', 192),
  day('ended', '2025-04-01', 192),
  day('ended', '2025-04-02', 0),
];

describe('allocationOutlook', () => {
  const rows = allocationOutlook(daily, config, T);

  it('lists the companies with nodes in April, sorted by projected use, empty last', () => {
    // gone has no node in April: no row.
    expect(rows.map((r) => r.company)).toEqual(['steady', 'ended', 'late']);
  });

  it('projects a month from the trailing week when it has grid days', () => {
    // To date Apr 1–10: 10 × 192 = 1920 allocated, 3 × 96 = 288 used; to come Apr 11–30: 20 × 192 = 3840.
    // Pace over Apr 4–10: 0 / 1344 = 0 %; projected 288 + 0 × 3840 = 288 of 5760 = 5.0 % → at risk.
    expect(rows[0]).toEqual({
      company: 'steady',
      month: '2025-04',
      allocatedToDate: 1920,
      usedToDate: 288,
      allocatedRest: 3840,
      pacePercent: 0,
      projectedUsed: 288,
      projectedUsePercent: 5,
      status: 'at risk',
    });
  });

  it('falls back to the month so far when the trailing week has no grid day', () => {
    // Apr 4–10 holds no grid day (the allocation ended Apr 3): pace = 192 / 384 = 50 %; nothing to come,
    // so projected = 192 of 384 = 50.0 %, on track against 50.
    expect(rows[1]).toMatchObject({
      company: 'ended',
      allocatedToDate: 384,
      usedToDate: 192,
      allocatedRest: 0,
      pacePercent: 50,
      projectedUsed: 192,
      projectedUsePercent: 50,
      status: 'on track',
    });
  });

  it('has no projection for an allocation that starts after T', () => {
    // Apr 20–30: 11 days × 2 nodes × 192 = 4224 h to come; nothing to date, no pace.
    expect(rows[2]).toEqual({
      company: 'late',
      month: '2025-04',
      allocatedToDate: 0,
      usedToDate: 0,
      allocatedRest: 4224,
      pacePercent: null,
      projectedUsed: null,
      projectedUsePercent: null,
      status: 'not started',
    });
  });

  it('compares the status as shown: 49.96 % reads 50.0 and is on track at 50', () => {
    const close = makeConfig({
      insight: { target_use_percent: 50 },
      companies: [company('c', [['2025-04-10', 1]])],
    });
    // One grid day, T: 95.92 of 192 h = 49.958 % → 50.0; nothing to come in April after T? 20 days at 1 node:
    // projected 95.92 + 0.49958 × 3840 = 2014.3 of 4032 = 49.958 % → 50.0 → on track.
    const [row] = allocationOutlook([usage('c', '2025-04-10', 95.92, 192)], close, T);
    expect(row).toMatchObject({ pacePercent: 50, projectedUsePercent: 50, status: 'on track' });
  });
});
