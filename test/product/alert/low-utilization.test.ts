import { describe, expect, it } from 'vitest';
import { isLowUtilizationTitle, lowUtilizationAlerts } from '../../../src/product/alert/low-utilization.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import { usage } from '../../helpers/report.js';

const T = '2025-01-09' as IsoDate;

describe('lowUtilizationAlerts', () => {
  it('gives each company below the threshold on T its own title, with the numbers in the text', () => {
    const alerts = lowUtilizationAlerts(
      [
        usage('abeja', T, 9.6, 192),
        usage('kotoba', T, 0, 192),
        usage('alpha', T, 96, 192),
        usage('abeja', '2025-01-08', 0, 192),
      ],
      T,
      10,
    );
    expect(alerts).toEqual([
      {
        title: 'Low utilization: abeja',
        text: 'abeja: GPU utilization 5.0% on 2025-01-09 (below 10%; 9.6 of 192 GPU hours)',
        severity: 'WARN',
      },
      {
        title: 'Low utilization: kotoba',
        text: 'kotoba: GPU utilization 0.0% on 2025-01-09 (below 10%; 0.0 of 192 GPU hours)',
        severity: 'WARN',
      },
    ]);
    expect(alerts.every((a) => isLowUtilizationTitle(a.title))).toBe(true);
    expect(isLowUtilizationTitle('Duplicate wandb.init runs found.')).toBe(false);
  });
});
