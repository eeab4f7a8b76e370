import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatReport } from '../../../src/product/checker/format-report.js';
import type { CheckReport } from '../../../src/product/checker/types.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import { tempDir } from '../../helpers/local-wandb.js';
import { runCliCaptured } from '../../helpers/run-cli.js';

const CONFIG = `
dashboard: { entity: dash, project: board }
dataset: { entity: dash, project: board }
companies:
  - company: alpha
    teams: [alpha-team]
    schedule: [{ date: "2025-01-01", assigned_gpu_node: 1 }]
`;

async function check(args: string[], env: Record<string, string> = { WANDB_API_KEY: 'k' }) {
  const dir = await tempDir('check-cli-');
  await writeFile(join(dir, 'config.yaml'), CONFIG);
  return runCliCaptured(['check', ...args], { cwd: dir, env });
}

describe('check command usage', () => {
  it.each([
    [['--date', '2025-02-30'], '--date: "2025-02-30" is not a calendar date'],
    [['--date', '2025-01-11'], '--date: 2025-01-11 is after today'],
  ])('%j exits 2 naming the flag', async (args, message) => {
    const result = await check(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('exits 2 without an API key', async () => {
    const result = await check([], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('WANDB_API_KEY');
  });
});

describe('formatReport', () => {
  it('lists each check and one line per finding, aligned', () => {
    const report: CheckReport = {
      target_date: '2025-01-09' as IsoDate,
      checked_at: '2025-01-10T12:00:00.000000',
      healthy: false,
      checks: { dashboard: 'findings', job_log: 'ok', anomalies: 'unreachable', duplicate_init: 'ok' },
      findings: [
        { check: 'dashboard', kind: 'missing', subject: 'beta', message: 'beta: no latest run' },
        { check: 'anomalies', kind: 'unreachable', message: 'cannot read x' },
      ],
      alert: { wandb: true, slack: undefined },
    };
    expect(formatReport(report)).toBe(
      [
        'Dashboard health check for 2025-01-09: 2 finding(s)',
        '',
        '  dashboard       findings (1)',
        '  job_log         ok',
        '  anomalies       unreachable (1)',
        '  duplicate_init  ok',
        '',
        'CHECK      KIND         SUBJECT  MESSAGE',
        'dashboard  missing      beta     beta: no latest run',
        'anomalies  unreachable  -        cannot read x',
        '',
      ].join('\n'),
    );
  });
});
