// The month-end statement as a page a programme officer files (docs/behaviour.md §13): self-contained like
// the dashboard page, every number from the statement (its totals are the monthly table's row).
import type { Statement, StatementLine } from '../calculator/index.js';
import { formatLocalTime, monthEnd } from '../shared/dates.js';
import { escapeHtml, formatNumber } from './html.js';
import { page } from './render-page.js';

/** What each total means, in the order a reader goes through them: [monthly column, label, unit]. */
const TOTALS: readonly [keyof NonNullable<Statement['totals']>, string, string][] = [
  ['assignedGpuNode', 'Node-days allocated', ''],
  ['assignedGpuHour', 'Allocated GPU-hours', 'h'],
  ['totalGpuHour', 'Used GPU-hours (capped at each day’s allocation)', 'h'],
  ['busyGpuHour', 'Busy GPU-hours (used × GPU utilisation W&B sampled)', 'h'],
  ['idleGpuHour', 'Idle GPU-hours (allocated, not used by any run)', 'h'],
  ['unmeasuredGpuHour', 'Unmeasured GPU-hours (used, without GPU samples)', 'h'],
  ['utilization', 'Allocation use (used ÷ allocated)', '%'],
  ['effectiveUtilization', 'Effective utilisation (busy ÷ allocated)', '%'],
  ['nRuns', 'Runs', ''],
];

/** One company's statement for one month. */
export function renderStatementPage(statement: Statement): string {
  const { company, month, through } = statement;
  const complete = through === monthEnd(through);
  const formatTime = (ms: number) => formatLocalTime(ms, statement.zone).slice(0, 19);
  const title = `GPU statement — ${company} — ${month}`;
  const body = [
    `<header><h1>${escapeHtml(title)}</h1><p class="meta">${complete ? `the whole month, to ${escapeHtml(through)}` : `the month so far, to ${escapeHtml(through)}`} · GPU-hours of the days with allocated nodes only</p></header>`,
    `<section id="totals"><h2>Allocation and use</h2>${totalsTable(statement)}</section>`,
    `<section id="schedule"><h2>Nodes by schedule</h2><ul>${statement.schedule.map((s) => `<li>from ${escapeHtml(s.from)}: ${s.nodes} node${s.nodes === 1 ? '' : 's'}</li>`).join('')}</ul></section>`,
    `<section id="projects"><h2>GPU-hours by project</h2>${linesTable('project', statement.projects)}</section>`,
    `<section id="users"><h2>GPU-hours by user</h2>${linesTable('user', statement.users)}</section>`,
    `<section id="duplicate-init"><h2>Duplicate-init groups</h2>${duplicates(statement, formatTime)}</section>`,
    `<section id="days-without-use"><h2>Days without use</h2>${statement.daysWithoutUse.length === 0 ? '<p>None: every allocated day had GPU use.</p>' : `<p>${statement.daysWithoutUse.map(escapeHtml).join(', ')}</p>`}</section>`,
    '<p class="meta">Project and user GPU-hours are uncapped sums of the runs’ hours; the totals cap each day at its allocation, as the dashboard’s tables do.</p>',
  ];
  return page(title, body.join(''));
}

function totalsTable(statement: Statement): string {
  const totals = statement.totals;
  if (totals === undefined) return '<p>No allocated day in this month up to its last covered day.</p>';
  const rows = TOTALS.map(([key, label, unit]) => {
    const value = totals[key] as number;
    const text = key === 'nRuns' || key === 'assignedGpuNode' ? String(value) : formatNumber(value);
    return `<tr><th>${escapeHtml(label)}</th><td class="num">${text}${unit ? ` ${unit}` : ''}</td></tr>`;
  });
  return `<table class="totals"><tbody>${rows.join('')}</tbody></table>`;
}

function linesTable(what: string, lines: readonly StatementLine[]): string {
  if (lines.length === 0) return `<p>No ${what} used GPUs on an allocated day.</p>`;
  const rows = lines.map(
    (l) =>
      `<tr><td>${escapeHtml(l.name)}</td><td class="num">${formatNumber(l.gpuHour, 2)}</td><td class="num">${formatNumber(l.busyGpuHour, 2)}</td><td class="num">${l.nRuns}</td></tr>`,
  );
  return `<table class="data"><thead><tr><th>${what}</th><th class="num">GPU h</th><th class="num">busy GPU h</th><th class="num">runs</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function duplicates(statement: Statement, formatTime: (ms: number) => string): string {
  if (statement.duplicates.length === 0) return '<p>None: no two runs of a team overlapped on one host.</p>';
  const items = statement.duplicates.map(
    (g) =>
      `<li>${escapeHtml(`${g.team} ${g.projects.join(', ')} on ${g.host}: ${g.runIds.join(', ')} (${formatTime(g.overlapStart)} – ${formatTime(g.overlapEnd)})`)}</li>`,
  );
  return `<ul>${items.join('')}</ul>`;
}
