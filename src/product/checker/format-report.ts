import { stripControl } from '../shared/inert-text.js';
import { CHECK_NAMES, type CheckReport } from './types.js';

/**
 * The report as a terminal reads it: each check's status, then one line per finding. Subjects and
 * messages carry W&B names, so their control characters and escape sequences are stripped
 * (docs/behaviour.md §8): printed on a terminal, they would colour, link or rewrite it.
 */
export function formatReport(report: CheckReport): string {
  const count = report.findings.length;
  const lines = [
    `Dashboard health check for ${report.target_date}: ${count === 0 ? 'healthy, no findings' : `${count} finding(s)`}`,
    '',
    ...CHECK_NAMES.map((name) => {
      const n = report.findings.filter((f) => f.check === name).length;
      return `  ${name.padEnd(16)}${report.checks[name]}${n > 0 ? ` (${n})` : ''}`;
    }),
  ];
  if (count > 0) {
    const rows = [
      ['CHECK', 'KIND', 'SUBJECT', 'MESSAGE'],
      ...report.findings.map((f) => [f.check, f.kind, f.subject ?? '-', f.message].map(stripControl)),
    ];
    const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
    lines.push(
      '',
      ...rows.map((r) => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ')),
    );
  }
  return `${lines.join('\n')}\n`;
}
