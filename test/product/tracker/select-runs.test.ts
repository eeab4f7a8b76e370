import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import { selectRuns, windowMeetsRange } from '../../../src/product/tracker/select-runs.js';
import type { RunRecord } from '../../../src/product/tracker/types.js';
import { MAX_CELL_CHARS } from '../../../src/product/uploader/text-bounds.js';
import { makeConfig } from '../../helpers/builders.js';

const config = makeConfig({
  companies: [
    {
      company: 'a',
      teams: ['a-team'],
      schedule: [
        { date: '2024-11-01', assigned_gpu_node: 1 },
        { date: '2024-11-10', assigned_gpu_node: 0 },
      ],
    },
    {
      company: 'b',
      teams: ['b-team'],
      require_gpu_info: false,
      schedule: [{ date: '2024-11-01', assigned_gpu_node: 1 }],
    },
  ],
});
const [a, b] = config.companies as [(typeof config.companies)[0], (typeof config.companies)[0]];
const range = { start: '2024-11-05' as IsoDate, end: '2024-11-12' as IsoDate };

const make = (runId: string, from: string, to: string, gpu: string | null = 'H100'): RunRecord => ({
  team: 'a-team',
  project: 'p',
  runId,
  username: null,
  displayName: null,
  state: 'finished',
  tags: [],
  host: 'h',
  createdAt: Date.parse(from),
  heartbeatAt: Date.parse(to),
  runInfo: gpu === null ? null : { gpu, gpuCount: 8, cpuCount: null },
  config: {},
  summaryMetrics: {},
});

describe('selectRuns (docs/behaviour.md §4)', () => {
  const runs = [
    make('ok', '2024-11-05T00:00:00Z', '2024-11-05T02:00:00Z'),
    make('nogpu', '2024-11-05T00:00:00Z', '2024-11-05T02:00:00Z', null),
    make('emptygpu', '2024-11-05T00:00:00Z', '2024-11-05T02:00:00Z', ''),
    make('zero', '2024-11-05T00:00:00Z', '2024-11-05T00:00:00Z'),
    make('backwards', '2024-11-05T02:00:00Z', '2024-11-05T00:00:00Z'),
    // Ends 2024-11-04T14:59:59Z = 23:59:59 JST Nov 4, just before the range.
    make('before', '2024-11-04T10:00:00Z', '2024-11-04T14:59:59Z'),
    // Touches 00:00–00:30 JST Nov 5: inside.
    make('edge', '2024-11-04T14:00:00Z', '2024-11-04T15:30:00Z'),
    // Nov 11 JST is inside the range but after the allocation ended (window ends Nov 10 inclusive).
    make('after-window', '2024-11-11T01:00:00Z', '2024-11-11T03:00:00Z'),
  ];

  it('counts only runs with GPU info, a positive interval and overlap with range and window', () => {
    const { counted, skipped } = selectRuns(runs, a, range, 'Asia/Tokyo');
    expect(counted.map((r) => r.runId)).toEqual(['ok', 'edge']);
    expect(skipped.map((s) => [s.runId, s.reason])).toEqual([
      ['nogpu', 'no-gpu-info'],
      ['emptygpu', 'no-gpu-info'],
      ['zero', 'zero-length'],
      ['backwards', 'heartbeat-before-creation'],
      ['before', 'outside-range'],
      ['after-window', 'outside-range'],
    ]);
  });

  it('keeps runs without GPU info when the company waives it', () => {
    const { counted } = selectRuns(runs.slice(0, 3), b, range, 'Asia/Tokyo');
    expect(counted.map((r) => r.runId)).toEqual(['ok', 'nogpu', 'emptygpu']);
  });

  it('fetches a team only when its allocation window meets the range', () => {
    expect(windowMeetsRange(a, range)).toBe(true);
    expect(windowMeetsRange(a, { start: '2024-11-11' as IsoDate, end: '2024-11-12' as IsoDate })).toBe(false);
    expect(windowMeetsRange(a, { start: '2024-10-01' as IsoDate, end: '2024-10-31' as IsoDate })).toBe(false);
    expect(windowMeetsRange(b, { start: '2030-01-01' as IsoDate, end: '2030-01-02' as IsoDate })).toBe(true);
  });
});

describe('selectRuns: W&B text the dataset cannot hold (docs/behaviour.md §5)', () => {
  const ok = make('ok', '2024-11-05T00:00:00Z', '2024-11-05T02:00:00Z');
  const long = 'x'.repeat(MAX_CELL_CHARS + 1);
  // Escaped as \uXXXX, 11,000 characters of tags take 66,000 characters: more than a cell holds.
  const manyTags = Array.from({ length: 11 }, () => '日'.repeat(1000));

  it.each([
    ['a NUL in the host name', { host: 'node\u00001' }],
    ['a NUL in the state', { state: 'fini\u0000shed' }],
    ['a project name past the cell bound', { project: long }],
    ['a run id past the cell bound', { runId: long }],
    ['tags whose JSON text passes the cell bound', { tags: manyTags }],
  ])('skips a run with %s, as text-out-of-bounds', (_name, overrides) => {
    const { counted, skipped } = selectRuns([{ ...ok, ...overrides }], a, range, 'Asia/Tokyo');
    expect(counted).toEqual([]);
    expect(skipped.map((s) => s.reason)).toEqual(['text-out-of-bounds']);
  });

  it('keeps a run with a NUL in a tag (JSON escapes it) and text at the bound', () => {
    const run = { ...ok, tags: ['a\u0000b'], host: 'h'.repeat(MAX_CELL_CHARS) };
    expect(selectRuns([run], a, range, 'Asia/Tokyo').counted).toHaveLength(1);
  });
});
