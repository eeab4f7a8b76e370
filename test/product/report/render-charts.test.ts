import { describe, expect, it } from 'vitest';
import type { UsagePoint } from '../../../src/product/report/model.js';
import { renderDailyChart, renderWeeklyChart } from '../../../src/product/report/render-charts.js';

const point = (period: string, gpuHours: number, assignedHours: number, nodes: number): UsagePoint => ({
  period,
  gpuHours,
  assignedHours,
  utilization: Math.round((gpuHours / assignedHours) * 1000) / 10,
  nodes,
});

/** Numeric attributes of every `<tag class="cls" …>` in order. */
function shapes(svg: string, cls: string): Record<string, number>[] {
  return [...svg.matchAll(new RegExp(`<rect class="${cls}" ([^>]*)>`, 'g'))].map((m) =>
    Object.fromEntries([...(m[1] ?? '').matchAll(/(\w+)="([\d.]+)"/g)].map((a) => [a[1], Number(a[2])])),
  );
}

describe('renderDailyChart', () => {
  // Day 1: 100 of 200 GPU h, day 2: 300 of 400. Axis 0–400 (ticks every 100) over the plot's
  // 148 px (y 24 … 172): y(v) = 172 − 0.37 v. Two bands of 458 / 2 = 229 px from x = 52.
  const svg = renderDailyChart([point('2025-01-01', 100, 200, 1), point('2025-01-02', 300, 400, 2)], 'alpha');

  it('draws a bar per day: x at 15 % into its band, 70 % wide, height proportional to the GPU hours', () => {
    const bars = shapes(svg, 'bar');
    expect(bars).toHaveLength(2);
    expect(bars[0]?.x).toBeCloseTo(86.4, 1); // 52 + 0.15 × 229 = 86.35
    expect(bars[1]?.x).toBeCloseTo(315.4, 1); // 52 + 229 + 34.35
    expect(bars[0]?.width).toBeCloseTo(160.3, 1);
    expect([bars[0]?.y, bars[0]?.height]).toEqual([135, 37]);
    expect([bars[1]?.y, bars[1]?.height]).toEqual([61, 111]);
  });

  it('draws the allocation as a step line across each day (200 h → y 98, 400 h → y 24)', () => {
    expect(svg).toContain('<path class="alloc" d="M52 98H281V24H510">');
  });

  it('labels the axis every 100 GPU h and each day as MM-DD, and gives each bar its utilisation', () => {
    for (const tick of ['>0<', '>100<', '>200<', '>300<', '>400<', '>01-01<', '>01-02<'])
      expect(svg).toContain(tick);
    expect(svg).toContain('<title>2025-01-01: 100.0 of 200 GPU h (50.0 %), 1 nodes</title>');
    expect(svg).toContain('<title>2025-01-02: 300.0 of 400 GPU h (75.0 %), 2 nodes</title>');
  });

  it('escapes the company name', () => {
    const named = renderDailyChart([point('2025-01-01', 1, 192, 1)], '<x&y>');
    expect(named).toContain('aria-label="Daily GPU hours of &lt;x&amp;y&gt; against its allocation"');
    expect(named).not.toContain('<x&y>');
  });

  it('says so when nothing was published', () => {
    const empty = renderDailyChart([], 'alpha');
    expect(empty).toContain('class="chart daily empty"');
    expect(empty).toContain('nothing published');
    expect(empty).not.toContain('class="bar"');
  });
});

describe('renderWeeklyChart', () => {
  // One week: 672 of 1344 GPU h (1 node, 7 days). Axis 0–1500 (1344 / 4 = 336 → 500) over 144 px
  // (y 28 … 172): y(v) = 172 − 0.096 v. One band of 258 px from x = 52.
  const svg = renderWeeklyChart([point('2024-12-29', 672, 1344, 7)], 'alpha');

  it('draws the allocated hours as an outlined bar and the used hours inside it', () => {
    const [allocated] = shapes(svg, 'allocated');
    const [used] = shapes(svg, 'bar');
    expect(allocated?.y).toBeCloseTo(42.976, 1); // 172 − 129.024
    expect(allocated?.height).toBeCloseTo(129, 1);
    expect(used?.y).toBeCloseTo(107.5, 1); // 172 − 64.512
    expect(used?.height).toBeCloseTo(64.5, 1);
    expect(allocated?.x).toBeCloseTo(83, 1); // 52 + 0.12 × 258 = 82.96
    expect(used?.x).toBeCloseTo(113.9, 1); // 52 + 0.24 × 258 = 113.92
  });

  it('labels the week with its utilisation and first day', () => {
    expect(svg).toContain('>50%</text>');
    expect(svg).toContain('>12-29<');
    expect(svg).toContain('<title>week from 2024-12-29: 672.0 of 1,344 GPU h (50.0 %)</title>');
  });
});
