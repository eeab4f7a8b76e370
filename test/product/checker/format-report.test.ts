import { describe, expect, it } from 'vitest';
import { formatReport } from '../../../src/product/checker/format-report.js';
import type { CheckReport } from '../../../src/product/checker/types.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';

// A host name that, printed raw, would be an OSC 8 hyperlink to evil.example and turn the terminal red.
const HOSTILE_HOST = 'x\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\u001b[31m';

const report: CheckReport = {
  target_date: '2025-01-09' as IsoDate,
  checked_at: '2025-01-10T06:00:00Z',
  healthy: false,
  checks: { dashboard: 'ok', job_log: 'ok', anomalies: 'ok', duplicate_init: 'findings' },
  findings: [
    {
      check: 'duplicate_init',
      kind: 'duplicate_init',
      subject: 'alpha\u009b2J',
      message: `alpha llm host ${HOSTILE_HOST}: 2 overlapping runs (r1,\nr2)`,
    },
  ],
  alert: { wandb: true, slack: undefined },
};

describe('formatReport', () => {
  it('prints W&B names without their control characters or escape sequences, on one line each', () => {
    const text = formatReport(report);
    expect([...text].filter((c) => /\p{Cc}/u.test(c) && c !== '\n')).toEqual([]);
    expect(text).not.toContain('evil.example');
    const lines = text.trimEnd().split('\n');
    expect(lines.slice(-2)).toEqual([
      'CHECK           KIND            SUBJECT  MESSAGE',
      'duplicate_init  duplicate_init  alpha    alpha llm host xclick: 2 overlapping runs (r1, r2)',
    ]);
  });
});
