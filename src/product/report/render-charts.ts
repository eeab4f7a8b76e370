import { escapeHtml, formatNumber, px } from './html.js';
import type { UsagePoint } from './model.js';
import { niceTicks } from './scale.js';

type Frame = { width: number; height: number; left: number; right: number; top: number; bottom: number };

const DAILY_FRAME: Frame = { width: 520, height: 200, left: 52, right: 10, top: 24, bottom: 28 };
const WEEKLY_FRAME: Frame = { width: 320, height: 200, left: 52, right: 10, top: 28, bottom: 28 };
/** At most this many x labels, so dates never overlap. */
const MAX_X_LABELS = 8;

/**
 * Daily GPU hours used (bars) against the allocated GPU hours (dashed step line) of one company,
 * oldest day on the left; each bar's tooltip gives the day's utilisation.
 */
export function renderDailyChart(points: readonly UsagePoint[], company: string): string {
  const label = `Daily GPU hours of ${company} against its allocation`;
  if (points.length === 0) return emptyChart(DAILY_FRAME, 'daily', label);
  const f = DAILY_FRAME;
  const { y, ticks } = yScale(f, Math.max(...points.map((p) => Math.max(p.gpuHours, p.assignedHours))));
  const band = (f.width - f.left - f.right) / points.length;
  const bars = points.map((p, i) => {
    const x = f.left + i * band + band * 0.15;
    const tip = `${p.period}: ${formatNumber(p.gpuHours)} of ${formatNumber(p.assignedHours, 0)} GPU h (${formatNumber(p.utilization)} %), ${p.nodes} nodes`;
    return `<rect class="bar" x="${px(x)}" y="${px(y(p.gpuHours))}" width="${px(band * 0.7)}" height="${px(y(0) - y(p.gpuHours))}"><title>${escapeHtml(tip)}</title></rect>`;
  });
  const step = points
    .map((p, i) => {
      const x0 = f.left + i * band;
      return `${i === 0 ? `M${px(x0)} ` : 'V'}${px(y(p.assignedHours))}H${px(x0 + band)}`;
    })
    .join('');
  return svg(f, 'daily', label, [
    ...axes(f, y, ticks, points, band),
    ...bars,
    `<path class="alloc" d="${step}"><title>allocated GPU hours</title></path>`,
  ]);
}

/** Weekly GPU hours used (filled bars) inside the week's allocated GPU hours (outlined bars), labelled with utilisation. */
export function renderWeeklyChart(points: readonly UsagePoint[], company: string): string {
  const label = `Weekly GPU hours of ${company} against its allocation`;
  if (points.length === 0) return emptyChart(WEEKLY_FRAME, 'weekly', label);
  const f = WEEKLY_FRAME;
  const { y, ticks } = yScale(f, Math.max(...points.map((p) => Math.max(p.gpuHours, p.assignedHours))));
  const band = (f.width - f.left - f.right) / points.length;
  const marks = points.flatMap((p, i) => {
    const x = f.left + i * band;
    const tip = `week from ${p.period}: ${formatNumber(p.gpuHours)} of ${formatNumber(p.assignedHours, 0)} GPU h (${formatNumber(p.utilization)} %)`;
    return [
      `<rect class="allocated" x="${px(x + band * 0.12)}" y="${px(y(p.assignedHours))}" width="${px(band * 0.76)}" height="${px(y(0) - y(p.assignedHours))}"/>`,
      `<rect class="bar" x="${px(x + band * 0.24)}" y="${px(y(p.gpuHours))}" width="${px(band * 0.52)}" height="${px(y(0) - y(p.gpuHours))}"><title>${escapeHtml(tip)}</title></rect>`,
      `<text class="pct" x="${px(x + band / 2)}" y="${px(y(Math.max(p.gpuHours, p.assignedHours)) - 4)}" text-anchor="middle">${formatNumber(p.utilization, 0)}%</text>`,
    ];
  });
  return svg(f, 'weekly', label, [...axes(f, y, ticks, points, band), ...marks]);
}

function yScale(f: Frame, max: number): { y: (v: number) => number; ticks: number[] } {
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1] ?? 1;
  const height = f.height - f.top - f.bottom;
  return { y: (v) => f.top + height - (Math.max(0, v) / top) * height, ticks };
}

function axes(
  f: Frame,
  y: (v: number) => number,
  ticks: readonly number[],
  points: readonly UsagePoint[],
  band: number,
): string[] {
  const grid = ticks.map(
    (t) =>
      `<line class="grid" x1="${f.left}" x2="${f.width - f.right}" y1="${px(y(t))}" y2="${px(y(t))}"/><text class="tick" x="${f.left - 6}" y="${px(y(t) + 4)}" text-anchor="end">${formatNumber(t, 0)}</text>`,
  );
  const every = Math.ceil(points.length / MAX_X_LABELS);
  const labels = points.flatMap((p, i) =>
    (points.length - 1 - i) % every === 0
      ? [
          `<text class="tick" x="${px(f.left + (i + 0.5) * band)}" y="${f.height - f.bottom + 16}" text-anchor="middle">${escapeHtml(p.period.slice(5))}</text>`,
        ]
      : [],
  );
  const unit = `<text class="unit" x="4" y="11">GPU h</text>`;
  return [...grid, ...labels, unit];
}

function svg(f: Frame, kind: string, label: string, body: readonly string[]): string {
  return `<svg class="chart ${kind}" role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(label)}</title>${body.join('')}</svg>`;
}

function emptyChart(f: Frame, kind: string, label: string): string {
  return svg(f, `${kind} empty`, label, [
    `<text class="tick" x="${f.width / 2}" y="${f.height / 2}" text-anchor="middle">nothing published</text>`,
  ]);
}
