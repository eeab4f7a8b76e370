import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/product/config/load.js';
import { DEMO_ANCHOR_DATE, loadDemoConfig, shiftDates } from '../../../src/world/demo/demo-config.js';

const shippedPath = fileURLToPath(new URL('../../../demo/config.yaml', import.meta.url));
const shipped = () => readFile(shippedPath, 'utf8');

describe('loadDemoConfig on the shipped demo/config.yaml', () => {
  it(`moves every date so the demo ends yesterday: ${DEMO_ANCHOR_DATE} → 2025-06-14 is +134 days`, async () => {
    // 12:00 in Tokyo on June 15.
    const demo = loadDemoConfig(await shipped(), shippedPath, new Date('2025-06-15T03:00:00Z'));
    expect(demo.end).toBe('2025-06-14');
    expect(demo.shiftDays).toBe(134); // Feb 28 + Mar 31 + Apr 30 + May 31 + 14
    expect(
      demo.config.companies.map((c) => [c.company, c.schedule.map((e) => [e.date, e.assigned_gpu_node])]),
    ).toEqual([
      ['aurora-ai', [['2025-06-01', 6]]],
      [
        'borealis-lab',
        [
          ['2025-06-01', 4],
          ['2025-06-08', 8],
        ],
      ],
      [
        'cirrus-tech',
        [
          ['2025-06-01', 3],
          ['2025-06-11', 0],
        ],
      ],
      ['delta-works', [['2025-06-01', 2]]],
      ['echo-robotics', [['2025-06-05', 5]]],
    ]);
  });

  it("takes yesterday in the config's time zone, not UTC (00:30 in Tokyo is still the previous day in UTC)", async () => {
    const demo = loadDemoConfig(await shipped(), shippedPath, new Date('2025-06-14T15:30:00Z'));
    expect(demo.end).toBe('2025-06-14');
  });

  it('keeps the dates as written when yesterday is the anchor date', async () => {
    const demo = loadDemoConfig(await shipped(), shippedPath, new Date('2025-02-01T03:00:00Z'));
    expect(demo.shiftDays).toBe(0);
    expect(demo.config.companies[1]?.schedule[1]?.date).toBe('2025-01-25');
  });
});

describe('loadDemoConfig on bad text', () => {
  const now = new Date('2025-06-15T03:00:00Z');

  it('reports YAML syntax errors as a ConfigError (exit 2)', () => {
    expect(() => loadDemoConfig('companies: [', 'x.yaml', now)).toThrow(ConfigError);
  });

  it('reports schema issues with their path', () => {
    const text =
      'dashboard: { entity: d, project: p }\ndataset: { entity: d, project: p }\ncompanies: []\nsurprise: 1\n';
    expect(() => loadDemoConfig(text, 'x.yaml', now)).toThrow(/surprise/);
  });
});

describe('shiftDates', () => {
  it('moves schedule dates and gpu_count `from`, nothing else', () => {
    const raw = {
      timezone: 'Asia/Tokyo',
      dashboard: { entity: '2025-01-01', project: 'p' },
      companies: [
        {
          company: 'a',
          schedule: [
            { date: '2025-01-30', assigned_gpu_node: 1 },
            { date: '2025-02-27', assigned_gpu_node: 0 },
          ],
          gpu_count: [{ from: '2025-02-01', nodes: { config: 'n' } }, { gpus: { config: 'g' } }],
        },
      ],
    };
    expect(shiftDates(raw, 2)).toEqual({
      ...raw,
      companies: [
        {
          company: 'a',
          schedule: [
            { date: '2025-02-01', assigned_gpu_node: 1 },
            { date: '2025-03-01', assigned_gpu_node: 0 },
          ],
          gpu_count: [{ from: '2025-02-03', nodes: { config: 'n' } }, { gpus: { config: 'g' } }],
        },
      ],
    });
  });

  it('moves backwards too and leaves what is not a date to validation', () => {
    const raw = { companies: [{ schedule: [{ date: '2025-03-01' }, { date: 'soon' }] }, 'odd'] };
    expect(shiftDates(raw, -1)).toEqual({
      companies: [{ schedule: [{ date: '2025-02-28' }, { date: 'soon' }] }, 'odd'],
    });
  });

  it('returns what is not a config object unchanged', () => {
    expect(shiftDates(null, 3)).toBeNull();
    expect(shiftDates({ companies: 'x' }, 3)).toEqual({ companies: 'x' });
  });
});
