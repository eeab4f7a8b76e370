import { describe, expect, it } from 'vitest';
import type { HeatmapView, UsagePoint } from '../../../src/product/report/model.js';
import { renderHeatmap } from '../../../src/product/report/render-heatmap.js';

const cell = (utilization: number): UsagePoint => ({
  period: '',
  gpuHours: (utilization / 100) * 192,
  assignedHours: 192,
  utilization,
  nodes: 1,
});

describe('renderHeatmap', () => {
  const view: HeatmapView = {
    dates: ['2025-01-31', '2025-02-01'],
    rows: [
      { company: 'alpha', cells: [cell(0), cell(50)] },
      { company: 'b<eta>', cells: [undefined, cell(100)] },
    ],
  };
  const svg = renderHeatmap(view);

  it('colours each grid day by utilisation (0 % pale, 50 % mid, 100 % deep blue) and prints it', () => {
    expect([...svg.matchAll(/<rect class="cell" [^>]*fill="(#[0-9a-f]{6})"/g)].map((m) => m[1])).toEqual([
      '#eff3ff',
      '#6baed6',
      '#08306b',
    ]);
    // Two days: 44 px cells, wide enough for the numbers; 100 is printed in white on deep blue.
    expect(svg).toContain('>50</text>');
    expect(svg).toContain('<text class="value dark" x="216" y="74" text-anchor="middle">100</text>');
  });

  it('leaves days without an allocation blank and labels rows (escaped) and days, months where they start', () => {
    expect(svg.match(/class="cell none"/g)).toHaveLength(1);
    expect(svg).toContain('<title>b&lt;eta&gt; 2025-01-31: no allocation</title>');
    expect(svg).toContain('data-company="b&lt;eta&gt;"');
    expect(svg).toContain('>2025-01</text>');
    expect(svg).toContain('>2025-02</text>');
    expect(svg).toContain('>31</text>');
    expect(svg).toContain('<title>alpha 2025-02-01: 50.0 % (96.0 of 192 GPU h)</title>');
  });

  it('is 150 px of labels plus one cell per day wide, one 24 px row per company under a 34 px header', () => {
    expect(svg).toContain('viewBox="0 0 246 86"'); // 150 + 2 × 44 + 8; 34 + 2 × 24 + 4
  });

  it('says so when nothing was published', () => {
    expect(renderHeatmap({ dates: [], rows: [] })).toContain('nothing published');
  });
});
