import { escapeHtml, formatNumber, px } from './html.js';
import type { HeatmapView } from './model.js';
import { utilizationColor } from './scale.js';

const LABEL_WIDTH = 150;
const CELL_HEIGHT = 24;
const MAX_CELL_WIDTH = 44;
const GRID_WIDTH = 860;
const HEADER = 34;

/** Company × day utilisation: one coloured cell per grid day, blank where a company had no allocation. */
export function renderHeatmap(view: HeatmapView): string {
  const label = 'Daily GPU utilisation per company';
  const n = view.dates.length;
  if (n === 0 || view.rows.length === 0) {
    return `<svg class="heatmap empty" role="img" aria-label="${label}" viewBox="0 0 400 40" width="400" height="40" xmlns="http://www.w3.org/2000/svg"><text class="tick" x="8" y="24">nothing published</text></svg>`;
  }
  const cell = Math.min(MAX_CELL_WIDTH, GRID_WIDTH / n);
  const width = LABEL_WIDTH + cell * n + 8;
  const height = HEADER + CELL_HEIGHT * view.rows.length + 4;
  const isWide = cell >= 30;
  const header = view.dates.map((d, i) => {
    const x = LABEL_WIDTH + (i + 0.5) * cell;
    const showMonth = i === 0 || d.slice(8) === '01';
    const day = isWide || i % 2 === (n - 1) % 2 ? d.slice(8) : '';
    return `<text class="tick" x="${px(x)}" y="${HEADER - 8}" text-anchor="middle">${day}</text>${showMonth ? `<text class="tick month" x="${px(x)}" y="${HEADER - 22}" text-anchor="middle">${escapeHtml(d.slice(0, 7))}</text>` : ''}`;
  });
  const rows = view.rows.map((row, r) => {
    const top = HEADER + r * CELL_HEIGHT;
    const cells = row.cells.map((point, i) => {
      const x = LABEL_WIDTH + i * cell;
      const date = view.dates[i] ?? '';
      if (!point) {
        return `<rect class="cell none" x="${px(x + 1)}" y="${top + 1}" width="${px(cell - 2)}" height="${CELL_HEIGHT - 2}"><title>${escapeHtml(`${row.company} ${date}: no allocation`)}</title></rect>`;
      }
      const tip = `${row.company} ${date}: ${formatNumber(point.utilization)} % (${formatNumber(point.gpuHours)} of ${formatNumber(point.assignedHours, 0)} GPU h)`;
      const text = isWide
        ? `<text class="value${point.utilization > 55 ? ' dark' : ''}" x="${px(x + cell / 2)}" y="${top + 16}" text-anchor="middle">${formatNumber(point.utilization, 0)}</text>`
        : '';
      return `<rect class="cell" x="${px(x + 1)}" y="${top + 1}" width="${px(cell - 2)}" height="${CELL_HEIGHT - 2}" fill="${utilizationColor(point.utilization)}"><title>${escapeHtml(tip)}</title></rect>${text}`;
    });
    return `<g class="heat-row" data-company="${escapeHtml(row.company)}"><text class="company" x="${LABEL_WIDTH - 8}" y="${top + 16}" text-anchor="end">${escapeHtml(row.company)}</text>${cells.join('')}</g>`;
  });
  return `<svg class="heatmap" role="img" aria-label="${label}" viewBox="0 0 ${px(width)} ${height}" width="${px(width)}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${label}</title>${header.join('')}${rows.join('')}</svg>`;
}
