import { describe, expect, it } from 'vitest';
import { jobLogFindings, type LogEvent } from '../../../src/product/checker/job-log.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';

const T = '2025-01-09' as IsoDate;
const NOW = Date.parse('2025-01-10T03:00:00Z');
const H = 3600_000;
const line = (hoursAgo: number, fields: object): LogEvent => ({
  timestamp: NOW - hoursAgo * H,
  message: JSON.stringify(fields),
});
const completed = (hoursAgo: number, target: string, extra: object = {}) =>
  line(hoursAgo, { level: 'info', event: 'pipeline.completed', target_date: target, ...extra });
const error = (hoursAgo: number) => line(hoursAgo, { level: 'error', event: 'pipeline.failed' });
const kinds = (findings: { kind: string }[]) => findings.map((f) => f.kind);

describe('jobLogFindings', () => {
  it('accepts a completion for T 35 hours ago and counts no errors before the previous completion', () => {
    const findings = jobLogFindings(
      [completed(59, '2025-01-08'), completed(35, T)],
      [error(60)],
      T,
      NOW,
      'g',
    );
    expect(findings).toEqual([]);
  });

  it('a completion for T older than 36 hours does not count', () => {
    expect(kinds(jobLogFindings([completed(37, T)], [], T, NOW, 'g'))).toEqual(['no_completion']);
  });

  it('a dry-run completion does not count, nor one for another date', () => {
    const events = [completed(2, T, { dry_run: true }), completed(1, '2025-01-08')];
    expect(kinds(jobLogFindings(events, [], T, NOW, 'g'))).toEqual(['no_completion']);
  });

  it('counts errors after the completion before T, including those after T completed', () => {
    const events = [completed(26, '2025-01-08'), completed(2, T)];
    const findings = jobLogFindings(events, [error(27), error(20), error(1)], T, NOW, 'g');
    expect(kinds(findings)).toEqual(['errors']);
    expect(findings[0]!.details).toMatchObject({ count: 2, since: new Date(NOW - 26 * H).toISOString() });
  });

  it('without any earlier completion counts the errors of the last 36 hours; lines that are not JSON are ignored', () => {
    const noise = { timestamp: NOW - H, message: 'Error: something printed by node' };
    const findings = jobLogFindings([completed(2, T)], [error(40), error(30), noise], T, NOW, 'g');
    expect(findings[0]!.details).toMatchObject({ count: 1 });
  });
});
