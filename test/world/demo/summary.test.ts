import { describe, expect, it } from 'vitest';
import type { JobReport } from '../../../src/product/job/run-job.js';
import { companyUsage, formatJobLine, formatUsageTable } from '../../../src/world/demo/summary.js';
import { usage } from '../../helpers/report.js';

describe('companyUsage', () => {
  // alpha: 96 of 192 h on Jun 14 and 1,536.5 of 1,536 h in the week; beta ended before Jun 14.
  const rows = companyUsage(
    ['alpha', 'beta', 'gamma'],
    {
      daily: [usage('alpha', '2025-06-14', 96, 192), usage('alpha', '2025-06-13', 1, 192)],
      weekly: [usage('alpha', '2025-06-08', 1536.5, 1536), usage('beta', '2025-06-08', 384, 768)],
    },
    '2025-06-14',
    '2025-06-08',
  );

  it("takes each company's row of T and of T's week", () => {
    expect(rows).toEqual([
      {
        company: 'alpha',
        nodes: 1,
        day: { gpuHours: 96, utilization: 50 },
        week: { gpuHours: 1536.5, utilization: 100 },
      },
      { company: 'beta', nodes: 0, day: undefined, week: { gpuHours: 384, utilization: 50 } },
      { company: 'gamma', nodes: 0, day: undefined, week: undefined },
    ]);
  });

  it('prints them as an aligned table with – where there is no allocated day', () => {
    expect(formatUsageTable(rows, '2025-06-14', '2025-06-08')).toEqual([
      '                             on 2025-06-14        week from 2025-06-08',
      'company  nodes     GPU hours   utilisation     GPU hours   utilisation',
      'alpha        1          96.0        50.0 %       1,536.5       100.0 %',
      'beta         0             –             –         384.0        50.0 %',
      'gamma        0             –             –             –             –',
    ]);
  });
});

describe('formatJobLine', () => {
  const report = {
    target_date: '2025-06-14',
    tracker: { runs_counted: 21, rows: 23 },
    dataset: { rows: 446, version: 13 },
    published: [{}, {}, {}],
    alerts: {
      titles: [
        'Low utilization: alpha',
        'Low utilization: beta',
        'Duplicate wandb.init runs found.',
        'Something else',
      ],
    },
  } as unknown as JobReport;

  it('says what the night did: runs, rows, dataset version, Tables runs, alerts and time', () => {
    expect(formatJobLine(report, 1534)).toBe(
      '2025-06-14  21 runs counted, 23 rows → dataset v13 (446 rows), 3 Tables runs, alerts: 2 low utilisation, duplicate-init, 1 other  (1.5 s)',
    );
  });

  it('says "none" without alerts', () => {
    const quiet = { ...report, alerts: { titles: [] } } as unknown as JobReport;
    expect(formatJobLine(quiet, 0)).toContain('alerts: none  (0.0 s)');
  });
});
