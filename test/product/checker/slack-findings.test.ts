import { describe, expect, it } from 'vitest';
import { findingsMessage } from '../../../src/product/checker/slack-findings.js';
import type { Finding } from '../../../src/product/checker/types.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import { blockKitProblems } from '../../helpers/block-kit-shape.js';

const T = '2025-01-09' as IsoDate;
const TITLE = 'Dashboard health check';
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text, verbatim: true } });

describe('findingsMessage', () => {
  it('has a header with T and the count, then a section per check with its findings, escaped', () => {
    const findings: Finding[] = [
      { check: 'dashboard', kind: 'missing', subject: 'beta', message: 'beta: no latest run' },
      { check: 'dashboard', kind: 'missing', subject: 'a<b & c>', message: 'a<b & c>: no latest run' },
      { check: 'job_log', kind: 'unreachable', message: 'cannot read CloudWatch: timeout' },
    ];
    const message = findingsMessage({
      title: TITLE,
      target: T,
      checks: { dashboard: 'findings', job_log: 'unreachable', anomalies: 'ok', duplicate_init: 'ok' },
      findings,
    });
    expect(message).toEqual({
      text: 'Dashboard health check for 2025-01-09: 3 findings',
      blocks: [
        {
          type: 'header',
          text: { type: 'plain_text', text: 'Dashboard health check 2025-01-09: 3 findings' },
        },
        section(
          ':warning: *dashboard* · findings (2)\n• beta: no latest run\n• a&lt;b &amp; c&gt;: no latest run',
        ),
        section(':x: *job_log* · unreachable (1)\n• cannot read CloudWatch: timeout'),
        section(':white_check_mark: *anomalies* · ok'),
        section(':white_check_mark: *duplicate_init* · ok'),
      ],
    });
    expect(blockKitProblems(message)).toEqual([]);
  });

  it('says healthy when there is nothing to report', () => {
    const message = findingsMessage({
      title: TITLE,
      target: T,
      checks: { dashboard: 'ok', job_log: 'ok', anomalies: 'ok', duplicate_init: 'ok' },
      findings: [],
    });
    expect(message.text).toBe('Dashboard health check for 2025-01-09: healthy');
    expect(message.blocks?.[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Dashboard health check 2025-01-09: healthy' },
    });
  });

  it('cuts a long list at whole findings with "… and N more" to stay within 3,000 characters', () => {
    // 200 findings of 98 characters: each line "• " + message is 100 characters.
    const findings: Finding[] = Array.from({ length: 200 }, (_, i) => ({
      check: 'anomalies',
      kind: 'low_utilization',
      message: `c${String(i).padStart(3, '0')} ${'x'.repeat(93)}`,
    }));
    const message = findingsMessage({
      title: TITLE,
      target: T,
      checks: { dashboard: 'ok', job_log: 'ok', anomalies: 'findings', duplicate_init: 'ok' },
      findings,
    });
    expect(blockKitProblems(message)).toEqual([]);
    const anomalies = (message.blocks![3] as { text: { text: string } }).text.text;
    const lines = anomalies.split('\n');
    // Heading 38 characters; k kept lines take 101 each (newline included); the closing line
    // "… and 172 more (see check-report.json)" 38 + its newline. 38 + 101k + 39 ≤ 3,000 gives k = 28
    // (a 29th would need 3,006), leaving 200 - 28 = 172.
    expect(lines[0]).toBe(':warning: *anomalies* · findings (200)');
    expect(lines.slice(1, -1)).toEqual(findings.slice(0, 28).map((f) => `• ${f.message}`));
    expect(lines.at(-1)).toBe('… and 172 more (see check-report.json)');
    expect(anomalies.length).toBe(38 + 28 * 101 + 39);
  });

  it('cuts one very long finding instead of dropping the section', () => {
    const message = findingsMessage({
      title: TITLE,
      target: T,
      checks: { dashboard: 'ok', job_log: 'unreachable', anomalies: 'ok', duplicate_init: 'ok' },
      findings: [{ check: 'job_log', kind: 'unreachable', message: `cannot read: ${'<'.repeat(5000)}` }],
    });
    expect(blockKitProblems(message)).toEqual([]);
    const jobLog = (message.blocks![2] as { text: { text: string } }).text.text;
    // Escaped, then cut to 500 characters: "cannot read: " is 13, so 121 whole "&lt;" (484) and "…".
    expect(jobLog).toBe(`:x: *job_log* · unreachable (1)\n• cannot read: ${'&lt;'.repeat(121)}…`);
  });

  it('shows W&B names in a finding literally: no mention, no link, no formatting', () => {
    const SHY = '\u00AD';
    const message = findingsMessage({
      title: TITLE,
      target: T,
      checks: { dashboard: 'ok', job_log: 'ok', anomalies: 'ok', duplicate_init: 'findings' },
      findings: [
        {
          check: 'duplicate_init',
          kind: 'duplicate_init',
          subject: 'alpha',
          message:
            'alpha *p* host x<!channel><https://evil.example|click> @here: 2 overlapping runs (r_1, r_2)',
        },
      ],
    });
    expect(blockKitProblems(message)).toEqual([]);
    const text = (message.blocks![4] as { text: { text: string } }).text.text;
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://evil.example|');
    expect(text).toBe(
      ':warning: *duplicate_init* · findings (1)\n' +
        `• alpha ${SHY}*${SHY}p${SHY}*${SHY} host x&lt;!channel&gt;&lt;https://evil.example|click&gt; ` +
        `@${SHY}here: 2 overlapping runs (r_1, r_2)`,
    );
  });
});
