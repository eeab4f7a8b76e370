import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lowUtilizationAlerts } from '../../../src/product/alert/low-utilization.js';
import { sendAlerts } from '../../../src/product/alert/send-alerts.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import { silentLogger } from '../../../src/product/shared/logger.js';
import { createRun } from '../../../src/product/wandb/run-writer.js';
import { basicAuth } from '../../helpers/local-wandb.js';
import { usage } from '../../helpers/report.js';
import { startSeeded, testClient } from '../../helpers/wandb.js';

const T = '2025-01-09' as IsoDate;
const run = { entity: 'dash', project: 'board', run: 'tables01' };

// W&B drops an alert whose title repeats on the same run within its wait (the local server does too),
// so the night's alerts, all on the overall Tables run, must each reach it.
describe('sendAlerts to W&B', () => {
  let server: Awaited<ReturnType<typeof startSeeded>>;
  beforeAll(async () => {
    server = await startSeeded({ entities: [{ name: 'dash' }] });
    await createRun(testClient(server.url), {
      entity: run.entity,
      project: run.project,
      runId: run.run,
      displayName: `Tables_${T}`,
      tags: [],
    });
  });
  afterAll(() => server.close());

  it('lands one alert per company on the one run, each with the one-minute wait', async () => {
    const rows = ['abeja', 'kotoba', 'sakana'].map((company) => usage(company, T, 0, 192));
    const alerts = lowUtilizationAlerts(rows, T, 10);
    const sent = await sendAlerts(
      alerts,
      { run, slackWebhookUrl: undefined },
      { wandb: testClient(server.url), log: silentLogger },
    );
    expect(sent).toEqual({ wandb: 3, slack: 0, slackFailed: 0 });
    const stored = (await (
      await fetch(`${server.url}/_local/alerts`, { headers: { Authorization: basicAuth() } })
    ).json()) as {
      title: string;
      run: string;
      waitDuration: number | null;
    }[];
    expect(stored.map((a) => [a.run, a.title, a.waitDuration])).toEqual([
      ['tables01', 'Low utilization: abeja', 60_000],
      ['tables01', 'Low utilization: kotoba', 60_000],
      ['tables01', 'Low utilization: sakana', 60_000],
    ]);
  });
});
