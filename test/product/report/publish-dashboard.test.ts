import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calculateTables } from '../../../src/product/calculator/build-tables.js';
import { publishDashboard } from '../../../src/product/publish/dashboard.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import { silentLogger } from '../../../src/product/shared/logger.js';
import { createWandbClient } from '../../../src/product/wandb/client.js';
import { blockKitProblems } from '../../helpers/block-kit-shape.js';
import { makeConfig, makeRunDay } from '../../helpers/builders.js';
import { type SlackReceiver, startSlackReceiver } from '../../helpers/slack-receiver.js';

const T = '2025-01-09' as IsoDate;

describe('publishDashboard: the Slack digest', () => {
  let slack: SlackReceiver;
  beforeAll(async () => {
    slack = await startSlackReceiver();
  });
  afterAll(() => slack.close());

  it("links each company's run by a URL whose names are percent-encoded, so none ends the link", async () => {
    const config = makeConfig({
      // Names as W&B might spell them, with what would end or split a `<url|label>` link.
      dashboard: { entity: 'dash|x', project: 'board <b> & co' },
      report: { page: false, wandb_report: false, slack_digest: true },
      companies: [
        { company: 'acme', teams: ['acme'], schedule: [{ date: '2025-01-01', assigned_gpu_node: 1 }] },
      ],
    });
    // 12 h × 8 GPUs = 96 GPU h on T.
    const result = calculateTables(
      [makeRunDay({ date: T, company_name: 'acme', duration_hour: 12, gpu_count: 8 })],
      config,
      T,
    );
    const outcome = await publishDashboard(
      {
        config,
        result,
        newest: T,
        published: [
          { tag: 'acme', runId: 'r1', storageId: 's1', target: T, latest: true, datasetVersion: 1 },
        ],
        alerts: [],
        baseUrl: 'https://api.wandb.example',
        slackWebhookUrl: slack.url,
      },
      // No W&B call is made: the Report is off.
      {
        wandb: createWandbClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'unused-key' }),
        log: silentLogger,
      },
    );
    expect(outcome.digest).toEqual({ messages: 1, sent: 1, failed: 0 });
    const post = slack.posts.at(-1)!;
    expect(blockKitProblems(post)).toEqual([]);
    expect(JSON.stringify(post.blocks)).toContain(
      '*<https://wandb.example/dash%7Cx/board%20%3Cb%3E%20%26%20co/runs/r1|acme>* · 1 node',
    );
  });
});
