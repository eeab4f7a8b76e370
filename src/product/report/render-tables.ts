import { escapeHtml, formatNumber } from './html.js';
import type { AlertItem, Cell, PublishedRun, TableData } from './types.js';

/** A Table as an HTML table; numbers right-aligned, integral values without decimals. */
export function renderTable(table: TableData): string {
  const head = table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const rows = table.rows.map((row) => `<tr>${row.map((cell) => cellHtml(cell)).join('')}</tr>`);
  const body =
    rows.length > 0 ? rows.join('') : `<tr><td colspan="${table.columns.length}">no rows</td></tr>`;
  return `<table class="data"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** Every published run with every Table it logged, folded. */
export function renderRawTables(runs: readonly PublishedRun[]): string {
  if (runs.length === 0) return '<p>No runs carry the tag.</p>';
  return runs
    .map((run) => {
      const tables = Object.entries(run.tables).map(
        ([key, table]) =>
          `<details class="table"><summary>${escapeHtml(key)} <span class="meta">${table.rows.length} rows × ${table.columns.length} columns</span></summary>${renderTable(table)}</details>`,
      );
      const unreadable = run.unreadable.map((u) => `<li>${escapeHtml(`${u.key}: ${u.reason}`)}</li>`);
      return `<details class="run"><summary>${escapeHtml(run.tag)} <span class="meta">${escapeHtml(`${run.displayName} (run ${run.runId}), ${Object.keys(run.tables).length} tables`)}</span></summary>${unreadable.length ? `<ul class="problems">${unreadable.join('')}</ul>` : ''}${tables.join('')}</details>`;
    })
    .join('');
}

/** Alerts, newest first: the date of the tables they came with, title and text lines. */
export function renderAlerts(alerts: readonly AlertItem[], none: string): string {
  if (alerts.length === 0) return `<p>${escapeHtml(none)}</p>`;
  const items = alerts.map(
    (a) =>
      `<li class="alert"><span class="when">${escapeHtml(a.target ?? a.time.slice(0, 10))}</span> <strong>${escapeHtml(a.title)}</strong> <span class="severity">${escapeHtml(a.severity)}</span><pre>${escapeHtml(a.text)}</pre></li>`,
  );
  return `<ul class="alerts">${items.join('')}</ul>`;
}

function cellHtml(cell: Cell): string {
  if (typeof cell === 'number') {
    const text = Number.isInteger(cell) ? String(cell) : formatNumber(cell, decimalsOf(cell));
    return `<td class="num">${text}</td>`;
  }
  return `<td>${escapeHtml(cell === null ? '' : String(cell))}</td>`;
}

/** Up to 2 decimals, as the tables round (1 or 2 places). */
function decimalsOf(value: number): number {
  return Math.abs(value * 10 - Math.round(value * 10)) < 1e-9 ? 1 : 2;
}
