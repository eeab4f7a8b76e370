import { describe, expect, it } from 'vitest';
import { dateRange, type IsoDate, localDayBounds, localTimesIn } from '../../../src/product/shared/dates.js';
import { runDays } from '../../../src/product/tracker/daily-usage.js';
import type { RunRecord } from '../../../src/product/tracker/types.js';

const at = (iso: string) => Date.parse(iso);
const sec = (iso: string) => Date.parse(iso) / 1000;

function context(start: string, end: string, zone: string) {
  return {
    zone,
    times: localTimesIn(zone),
    dates: dateRange(start as IsoDate, end as IsoDate),
    bounds: localDayBounds(start as IsoDate, end as IsoDate, zone),
    loggedAt: '2024-11-06T00:15:00.000000',
  };
}

const run: RunRecord = {
  team: 'abeja-geniac',
  project: 'llm',
  runId: 'a1b2c3d4',
  displayName: 'run',
  state: 'finished',
  tags: ['x'],
  host: 'node-01',
  username: 'kenji',
  // 05:00 JST Nov 3 → 12:30 JST Nov 4.
  createdAt: at('2024-11-02T20:00:00Z'),
  heartbeatAt: at('2024-11-04T03:30:00Z'),
  runInfo: { gpu: 'H100', gpuCount: 8, cpuCount: 96 },
  config: {},
  summaryMetrics: {},
};

describe('runDays (docs/behaviour.md §4)', () => {
  it('splits the interval at local midnight and dates samples by local day', () => {
    const samples = [
      // 01:00 JST Nov 3: before the run started, still dated Nov 3, so it counts; memoryAllocated does not.
      {
        _timestamp: sec('2024-11-02T16:00:00Z'),
        'system.gpu.0.gpu': 10,
        'system.gpu.1.gpu': 20,
        'system.gpu.0.memory': 5,
        'system.gpu.0.memoryAllocated': 99,
      },
      // 23:59:59 JST Nov 3: a labelled key counts; a boolean, NaN and a string do not.
      {
        _timestamp: sec('2024-11-03T14:59:59Z'),
        'system.gpu.0.gpu/l:node1': 60,
        'system.gpu.1.gpu': true,
        'system.gpu.2.gpu': Number.NaN,
        'system.gpu.3.gpu': '50',
      },
      // 00:00 JST Nov 4.
      {
        _timestamp: sec('2024-11-03T15:00:00Z'),
        'system.gpu.0.gpu': 90,
        'system.gpu.0.memory': 40,
        'system.gpu.1.memory': 20,
      },
      // Outside the range: ignored.
      { _timestamp: sec('2024-10-30T00:00:00Z'), 'system.gpu.0.gpu': 1 },
    ];
    const rows = runDays(run, samples, 16, context('2024-11-03', '2024-11-05', 'Asia/Tokyo'));
    expect(rows).toEqual([
      {
        date: '2024-11-03',
        company_name: 'abeja-geniac',
        project: 'llm',
        run_id: 'a1b2c3d4',
        tags: ['x'],
        created_at: '2024-11-03T05:00:00.000000',
        updated_at: '2024-11-04T12:30:00.000000',
        state: 'finished',
        duration_hour: 19,
        gpu_count: 16,
        average_gpu_utilization: 30,
        average_gpu_memory: 5,
        max_gpu_utilization: 60,
        max_gpu_memory: 5,
        host_name: 'node-01',
        logged_at: '2024-11-06T00:15:00.000000',
        cpu_count: 96,
        username: 'kenji',
        extra: {},
      },
      expect.objectContaining({
        date: '2024-11-04',
        duration_hour: 12.5,
        average_gpu_utilization: 90,
        max_gpu_utilization: 90,
        average_gpu_memory: 30,
        max_gpu_memory: 40,
      }),
    ]);
  });

  it('leaves metrics empty on a day without samples and keeps exact fractional hours', () => {
    const short = { ...run, createdAt: at('2024-11-03T00:00:00Z'), heartbeatAt: at('2024-11-03T00:20:30Z') };
    const [row] = runDays(short, [], null, context('2024-11-03', '2024-11-03', 'Asia/Tokyo'));
    expect(row).toMatchObject({
      duration_hour: 20.5 / 60,
      average_gpu_utilization: null,
      max_gpu_memory: null,
      gpu_count: null,
    });
  });

  it('gives a 25-hour day where daylight saving ends (America/New_York, 2024-11-03)', () => {
    const dst = { ...run, createdAt: at('2024-11-03T04:00:00Z'), heartbeatAt: at('2024-11-04T05:00:00Z') };
    const rows = runDays(dst, [], 8, context('2024-11-02', '2024-11-04', 'America/New_York'));
    expect(rows.map((r) => [r.date, r.duration_hour])).toEqual([['2024-11-03', 25]]);
  });
});
