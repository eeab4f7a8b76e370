// The tracker against the local W&B server: events lines are parsed as each run's metrics are folded, so a
// line that is not a JSON object costs that run its metrics (kept, reported), not the batch or the job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateRange, type IsoDate, localDayBounds, localTimesIn } from '../../../src/product/shared/dates.js';
import { fetchRunDays } from '../../../src/product/tracker/fetch-runs.js';
import { makeConfig } from '../../helpers/builders.js';
import { createMemoryLogger } from '../../helpers/fakes.js';
import { basicAuth } from '../../helpers/local-wandb.js';
import { seedRun, startSeeded, testClient } from '../../helpers/wandb.js';

const TEAM = 'acme-geniac';
const DAY = '2025-03-01' as IsoDate;
const sec = (iso: string) => Date.parse(`${iso}Z`) / 1000;
const samples = (...gpu: number[]) =>
  gpu.map((value, i) => ({ _timestamp: sec(`2025-03-01T0${2 + i}:00:00`), 'system.gpu.0.gpu': value }));
const gpuRun = (name: string, gpu: number[]) =>
  seedRun(TEAM, 'llm', name, '2025-03-01T01:00:00', '2025-03-01T05:00:00', {
    runInfo: { gpu: 'NVIDIA H100 80GB HBM3', gpuCount: 8, cpuCount: 96 },
    systemMetrics: samples(...gpu),
  });

describe('fetchRunDays: a run whose events line is not JSON', () => {
  let server: Awaited<ReturnType<typeof startSeeded>>;
  beforeAll(async () => {
    server = await startSeeded({
      entities: [{ name: TEAM }],
      projects: [{ entity: TEAM, name: 'llm' }],
      runs: [gpuRun('good0001', [40, 60]), gpuRun('bad00001', [10, 30])],
    });
    // A third line, cut short, as a truncated write would leave it.
    const res = await fetch(`${server.url}/files/${TEAM}/llm/bad00001/file_stream`, {
      method: 'POST',
      headers: { Authorization: basicAuth(), 'Content-Type': 'application/json' },
      body: JSON.stringify({
        files: { 'wandb-events.jsonl': { offset: 2, content: ['{"_timestamp": 1740798000, "system.gpu'] } },
      }),
    });
    expect(res.status).toBe(200);
  });
  afterAll(() => server.close());

  it('keeps the run with empty metrics, reports it, and fetches the batch once', async () => {
    const config = makeConfig({
      timezone: 'UTC',
      companies: [{ company: TEAM, teams: [TEAM], schedule: [{ date: '2025-02-01', assigned_gpu_node: 1 }] }],
    });
    const client = testClient(server.url);
    const log = createMemoryLogger();
    const result = await fetchRunDays(
      config,
      { start: DAY, end: DAY },
      {
        zone: 'UTC',
        times: localTimesIn('UTC'),
        dates: dateRange(DAY, DAY),
        bounds: localDayBounds(DAY, DAY, 'UTC'),
        loggedAt: '2025-03-02T00:15:00.000000',
      },
      { wandb: client, log },
    );
    const byRun = Object.fromEntries(result.rows.map((r) => [r.run_id, r]));
    expect(byRun.good0001).toMatchObject({
      duration_hour: 4,
      average_gpu_utilization: 50,
      max_gpu_utilization: 60,
    });
    // (Its heartbeat moved to the server's clock with the post: the row runs to the end of the day.)
    expect(byRun.bad00001).toMatchObject({
      gpu_count: 8,
      average_gpu_utilization: null,
      max_gpu_utilization: null,
    });
    expect(result.metricsFailed).toEqual([
      { team: TEAM, project: 'llm', run_id: 'bad00001', error: expect.stringContaining('not JSON') },
    ]);
    expect(
      log.events.filter((e) => e.event === 'tracker.metrics_failed').map((e) => e.fields.run_id),
    ).toEqual(['bad00001']);
    // The bad line is found where it is read: no request is spent splitting the batch to find the run.
    expect(client.requestCounts().RunEventsBatch).toBe(1);
    expect(client.requestCounts().RunFullHistory).toBeUndefined();
  });
});
