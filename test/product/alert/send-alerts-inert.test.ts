// W&B names in the alerts are data, never markup (docs/behaviour.md §8): what the Slack webhook and W&B
// receive from sendAlerts when a host, project and company carry mrkdwn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duplicateInitAlert } from '../../../src/product/alert/duplicate-init.js';
import { lowUtilizationAlerts } from '../../../src/product/alert/low-utilization.js';
import { sendAlerts } from '../../../src/product/alert/send-alerts.js';
import { ALERT_TITLE_MAX_BYTES } from '../../../src/product/alert/title.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import { silentLogger } from '../../../src/product/shared/logger.js';
import { createRun } from '../../../src/product/wandb/run-writer.js';
import { basicAuth } from '../../helpers/local-wandb.js';
import { usage } from '../../helpers/report.js';
import { type SlackReceiver, startSlackReceiver } from '../../helpers/slack-receiver.js';
import { startSeeded, testClient } from '../../helpers/wandb.js';

const T = '2025-01-09' as IsoDate;
const run = { entity: 'dash', project: 'board', run: 'tables01' };
const HOSTILE_HOST = 'x<!channel><https://evil.example|click>';

/** A duplicate-init alert naming a hostile host and project, as the job plans it. */
const duplicate = duplicateInitAlert(
  [
    {
      team: 'alpha',
      host: HOSTILE_HOST,
      projects: ['*bold* _it_ `code` @here'],
      runIds: ['r1', 'r2'],
      overlapStart: 0,
      overlapEnd: 3_600_000,
    },
  ],
  () => '2025-01-09 10:00:00',
)!;

/** Marker characters not kept from formatting: not between two letters or digits and without a soft hyphen. */
const LIVE_MARKER = /(?<![\p{L}\p{N}\u00AD])[*_~`]|[*_~`](?![\p{L}\p{N}\u00AD])/u;

describe('sendAlerts with W&B names that hold mrkdwn', () => {
  let server: Awaited<ReturnType<typeof startSeeded>>;
  let slack: SlackReceiver;
  beforeAll(async () => {
    [server, slack] = await Promise.all([
      startSeeded({ entities: [{ name: 'dash' }] }),
      startSlackReceiver(),
    ]);
    await createRun(testClient(server.url), {
      entity: run.entity,
      project: run.project,
      runId: run.run,
      displayName: `Tables_${T}`,
      tags: [],
    });
  });
  afterAll(() => Promise.all([server.close(), slack.close()]));

  const storedAlerts = async () =>
    (await (
      await fetch(`${server.url}/_local/alerts`, { headers: { Authorization: basicAuth() } })
    ).json()) as { title: string; text: string }[];

  it('posts the duplicate-init alert to Slack with no mention, link or formatting from the names', async () => {
    // `report.slack_digest: false`: each alert goes to the webhook on its own.
    const sent = await sendAlerts(
      [duplicate],
      { run, slackWebhookUrl: slack.url },
      { wandb: testClient(server.url), log: silentLogger },
    );
    expect(sent).toEqual({ wandb: 1, slack: 1, slackFailed: 0 });
    const body = JSON.stringify(slack.posts.at(-1));
    const text = slack.posts.at(-1)!.text;
    expect(body).not.toContain('<!channel>');
    expect(body).not.toContain('<https://evil.example|');
    expect(text).toContain('x&lt;!channel&gt;&lt;https://evil.example|click&gt;');
    expect(text).not.toMatch(/<|>/);
    // Our own bold title stays; the project's markers and @here are kept from formatting.
    expect(text.startsWith('*Duplicate wandb.init runs found.*\n')).toBe(true);
    expect(text.split('\n')[1]).not.toMatch(LIVE_MARKER);
    expect(text).not.toContain('@here');
  });

  it('escapes the same way the alert W&B forwards to Slack and e-mail', async () => {
    const stored = (await storedAlerts()).at(-1)!;
    expect(stored.title).toBe('Duplicate wandb.init runs found.');
    expect(stored.text).not.toContain('<!channel>');
    expect(stored.text).toContain('x&lt;!channel&gt;&lt;https://evil.example|click&gt;');
    expect(stored.text).not.toMatch(LIVE_MARKER);
    expect(stored.text).not.toContain('@here');
  });

  it("keeps a company's escaped W&B title within W&B's 63 bytes", async () => {
    const company = 'R&D <lab> & co & partners & friends & family';
    const alerts = lowUtilizationAlerts([usage(company, T, 0, 192)], T, 10);
    await sendAlerts(
      alerts,
      { run, slackWebhookUrl: slack.url },
      { wandb: testClient(server.url), log: silentLogger },
    );
    const stored = (await storedAlerts()).at(-1)!;
    expect(stored.title.startsWith('Low utilization: R&amp;D &lt;lab&gt; &amp; co')).toBe(true);
    expect(Buffer.byteLength(stored.title, 'utf8')).toBeLessThanOrEqual(ALERT_TITLE_MAX_BYTES);
    expect(stored.text.startsWith('R&amp;D &lt;lab&gt; &amp; co')).toBe(true);
    expect(slack.posts.at(-1)!.text).not.toMatch(/<|>/);
  });

  it("keeps a long alert's Slack post within 3,000 characters after escaping, whole lines", async () => {
    const long = duplicateInitAlert(
      Array.from({ length: 100 }, (_, i) => ({
        team: `team-${i}`,
        host: `<host-${i}>`.repeat(5),
        projects: ['p'],
        runIds: ['a', 'b'],
        overlapStart: 0,
        overlapEnd: 1,
      })),
      () => '2025-01-09 10:00:00',
    )!;
    await sendAlerts(
      [long],
      { run, slackWebhookUrl: slack.url },
      { wandb: testClient(server.url), log: silentLogger },
    );
    const text = slack.posts.at(-1)!.text;
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).toMatch(/\n… and \d+ more lines$/);
    for (const line of text.split('\n').slice(1, -1))
      expect(line).toMatch(/^team-\d+ p host (&lt;host-\d+&gt;){5}: /);
  });
});
