import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postToSlack } from '../../../src/product/alert/send-alerts.js';
import type { UsageRow } from '../../../src/product/calculator/periods.js';
import { buildDigest } from '../../../src/product/report/slack-digest.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import { sendDigest } from '../../../src/product/shared/slack-post.js';
import { blockKitProblems } from '../../helpers/block-kit-shape.js';
import { makeConfig } from '../../helpers/builders.js';
import { createMemoryLogger } from '../../helpers/fakes.js';
import { type SlackReceiver, startSlackReceiver } from '../../helpers/slack-receiver.js';

const T = '2025-01-09' as IsoDate;

// One company, 1 node (192 GPU h a day): 96.0 h on T is 50.0 %, also its week so far (T is its first day).
const usage: UsageRow = {
  company: 'acme & co',
  period: T,
  totalGpuHour: 96,
  utilization: 50,
  avgPerformance: 0,
  maxPerformance: 0,
  avgMemory: 0,
  maxMemory: 0,
  nRuns: 1,
  assignedGpuNode: 1,
  assignedGpuHour: 192,
  rawTotalGpuHour: 96,
  totalMetricsHour: 0,
  busyGpuHour: 0,
  idleGpuHour: 96,
  unmeasuredGpuHour: 96,
  effectiveUtilization: 0,
};
const digest = buildDigest({
  target: T,
  config: makeConfig({
    companies: [
      { company: 'acme & co', teams: ['acme'], schedule: [{ date: '2025-01-09', assigned_gpu_node: 1 }] },
    ],
  }),
  daily: [usage],
  weekly: [{ ...usage, period: '2025-01-05' }],
  alerts: [],
  links: { report: 'https://wandb.example/dash/board/reports/GPU-usage-dashboard--abc', runs: [] },
});

describe('sendDigest to a Slack incoming webhook', () => {
  let ok: SlackReceiver;
  let failing: SlackReceiver;
  beforeAll(async () => {
    [ok, failing] = await Promise.all([startSlackReceiver(), startSlackReceiver({ status: 500 })]);
  });
  afterAll(() => Promise.all([ok.close(), failing.close()]));

  it('posts each message as Block Kit JSON', async () => {
    const log = createMemoryLogger();
    const sent = await sendDigest([...digest, ...digest], ok.url, { log });
    expect(sent).toEqual({ sent: 2, failed: 0 });
    expect(ok.posts).toHaveLength(2);
    for (const post of ok.posts) expect(blockKitProblems(post)).toEqual([]);
    expect(ok.posts[0]).toEqual(JSON.parse(JSON.stringify(digest[0])));
    expect(ok.posts[0]!.text).toBe('GPU usage digest for 2025-01-09: 1 company, 0 alerts');
    expect(JSON.stringify(ok.posts[0]!.blocks)).toContain(
      '*acme &amp; co* · 1 node · day 96.0 GPU h · 50.0% (new) · week 96.0 GPU h · 50.0%',
    );
    expect(log.events).toEqual([]);
  });

  it('counts a 500 answer as failed and logs it without the webhook URL', async () => {
    const log = createMemoryLogger();
    const sent = await sendDigest(digest, failing.url, { log });
    expect(sent).toEqual({ sent: 0, failed: 1 });
    expect(failing.posts).toHaveLength(1);
    expect(log.events).toEqual([
      {
        level: 'warn',
        event: 'digest.slack_failed',
        fields: { part: 1, parts: 1, error: 'Slack answered HTTP 500' },
      },
    ]);
    expect(JSON.stringify(log.events)).not.toContain('/services/');
  });

  it('counts an unreachable webhook as failed and keeps going', async () => {
    const gone = await startSlackReceiver();
    await gone.close();
    const log = createMemoryLogger();
    const sent = await sendDigest([...digest, ...digest], gone.url, { log });
    expect(sent).toEqual({ sent: 0, failed: 2 });
    expect(log.events.map((e) => [e.level, e.event, e.fields.part])).toEqual([
      ['warn', 'digest.slack_failed', 1],
      ['warn', 'digest.slack_failed', 2],
    ]);
    expect(JSON.stringify(log.events)).not.toContain('/services/');
  });

  it('masks the URL when an error message quotes it', async () => {
    const log = createMemoryLogger();
    const quoting: typeof fetch = async (input) => {
      throw new Error(`request to ${String(input)} failed`);
    };
    const sent = await sendDigest(digest, ok.url, { log, fetch: quoting });
    expect(sent).toEqual({ sent: 0, failed: 1 });
    expect(log.events.map((e) => e.fields.error)).toEqual(['request to <webhook> failed']);
  });

  it('carries the plain-text alerts on the same transport', async () => {
    ok.posts.length = 0;
    await postToSlack(
      ok.url,
      { title: 'Low utilization: acme', text: 'acme: 5.0%', severity: 'WARN' },
      fetch,
    );
    expect(ok.posts).toEqual([{ text: '*Low utilization: acme*\nacme: 5.0%' }]);
    await expect(
      postToSlack(failing.url, { title: 't', text: 'x', severity: 'WARN' }, fetch),
    ).rejects.toThrow('Slack answered HTTP 500');
  });
});
