import { describe, expect, it } from 'vitest';
import { planAlerts } from '../../../src/product/job/plan-alerts.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import type { RunRecord } from '../../../src/product/tracker/types.js';
import { makeConfig } from '../../helpers/builders.js';
import { usage } from '../../helpers/report.js';

const T = '2025-01-09' as IsoDate;
const config = makeConfig({
  timezone: 'Asia/Tokyo',
  companies: [
    { company: 'abeja', teams: ['abeja'], schedule: [{ date: '2025-01-01', assigned_gpu_node: 1 }] },
  ],
});

function run(runId: string, host: string | null, start: string, end: string): RunRecord {
  return {
    team: 'abeja',
    project: 'llm',
    runId,
    displayName: null,
    state: 'finished',
    tags: [],
    host,
    username: null,
    createdAt: Date.parse(start),
    heartbeatAt: Date.parse(end),
    runInfo: null,
    config: {},
    summaryMetrics: {},
  };
}

describe('planAlerts', () => {
  it('warns each company below 10% on T, then lists overlapping runs on one host in local time', () => {
    const alerts = planAlerts(
      config,
      [usage('abeja', T, 9.6, 192), usage('kotoba', T, 96, 192), usage('kotoba', '2025-01-08', 0, 192)],
      [
        run('r1', 'node-1', '2025-01-09T01:00:00Z', '2025-01-09T03:00:00Z'),
        run('r2', 'node-1', '2025-01-09T01:00:05Z', '2025-01-09T02:00:00Z'),
        run('r3', 'node-2', '2025-01-09T01:00:05Z', '2025-01-09T02:00:00Z'),
        run('r4', null, '2025-01-09T01:00:05Z', '2025-01-09T02:00:00Z'),
      ],
      T,
    );
    expect(alerts.map((a) => a.title)).toEqual([
      'Low utilization: abeja',
      'Duplicate wandb.init runs found.',
    ]);
    // 01:00:05Z–02:00:00Z is 10:00:05–11:00:00 in Tokyo (UTC+9).
    expect(alerts[1]?.text).toBe(
      'abeja llm host node-1: 2 runs (r1, r2) overlapping 2025-01-09T10:00:05 – 2025-01-09T11:00:00',
    );
  });

  it('plans nothing for a healthy day without overlapping runs', () => {
    const alerts = planAlerts(
      config,
      [usage('abeja', T, 96, 192)],
      [
        run('r1', 'node-1', '2025-01-09T01:00:00Z', '2025-01-09T02:00:00Z'),
        run('r2', 'node-1', '2025-01-09T02:00:00Z', '2025-01-09T03:00:00Z'),
      ],
      T,
    );
    expect(alerts).toEqual([]);
  });
});
