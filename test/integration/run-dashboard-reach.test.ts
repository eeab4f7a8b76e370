// Where the dashboard reaches people after a nightly job: one W&B Report kept in place, and one Slack
// digest per job with every company that has nodes on T.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listReports } from '../../src/product/publish/report.js';
import { createWandbClient } from '../../src/product/wandb/client.js';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { blockKitProblems } from '../helpers/block-kit-shape.js';
import { CANARY, makeJobWorld, runWorldJob } from '../helpers/job-world.js';
import { gql } from '../helpers/local-wandb.js';
import { type SlackReceiver, startSlackReceiver } from '../helpers/slack-receiver.js';

type RunReport = { report: { id: string; url: string } | null; digest: { messages: number; sent: number } };

let server: LocalWandb;
let slack: SlackReceiver;
let dir: string;
const jobs: { report: RunReport; posts: number }[] = [];

beforeAll(async () => {
  ({ dir, server } = await makeJobWorld('run-reach'));
  slack = await startSlackReceiver();
  // The same nightly job twice (a rerun), each with the Slack webhook set.
  for (const out of ['out1', 'out2']) {
    const before = slack.posts.length;
    const result = await runWorldJob(dir, server.url, out, [], { SLACK_WEBHOOK_URL: slack.url });
    expect(result.code, result.stderr).toBe(0);
    jobs.push({
      report: JSON.parse(await readFile(join(dir, out, 'run-report.json'), 'utf8')) as RunReport,
      posts: slack.posts.length - before,
    });
  }
}, 60_000);
afterAll(async () => {
  await server?.close();
  await slack?.close();
});

describe('the W&B Report the job keeps', () => {
  it('is one Report, updated in place by the rerun, with its URL in run-report.json', async () => {
    const [first, second] = jobs.map((j) => j.report.report);
    expect(first?.id).toBeTruthy();
    expect(second?.id).toBe(first?.id);
    expect(first?.url).toBe(`${server.url}/dash/board/reports/GPU-usage-dashboard--${first?.id}`);
    const reports = await listReports(
      createWandbClient({ baseUrl: server.url, apiKey: CANARY }),
      'dash',
      'board',
    );
    expect(reports.map((r) => r.displayName)).toEqual(['GPU usage dashboard']);
  });

  it("shows the overall run's page and Tables, and a section for alpha, by their tags", async () => {
    const id = jobs[1]!.report.report!.id;
    const res = await gql(
      server.url,
      'query ($id: ID!) { view(id: $id) { type displayName spec } }',
      { id },
      { key: CANARY },
    );
    const view = res.body.data?.view as { type: string; displayName: string; spec: string };
    expect(view.type).toBe('runs');
    const spec = view.spec;
    for (const key of [
      'dashboard',
      'overall_gpu_usage',
      'daily_gpu_usage',
      'company_dashboard',
      'company_summary',
    ]) {
      expect(spec, key).toContain(`"${key}"`);
    }
    for (const tag of ['overall', 'alpha', 'latest']) expect(spec, tag).toContain(`"${tag}"`);
  });
});

describe('the Slack digest', () => {
  it('is one valid Block Kit message per nightly job, holding every company with nodes on T', () => {
    expect(jobs.map((j) => j.posts)).toEqual([1, 1]);
    expect(jobs.map((j) => j.report.digest)).toEqual([
      { messages: 1, sent: 1, failed: 0 },
      { messages: 1, sent: 1, failed: 0 },
    ]);
    for (const post of slack.posts) {
      expect(blockKitProblems(post)).toEqual([]);
      const text = JSON.stringify(post.blocks);
      expect(text).toContain('alpha');
      expect(text).toContain('2025-01-09');
      // The job's duplicate-init alert (node-9) is folded in, and the Report is linked.
      expect(text).toContain('node-9');
      expect(text).toContain('/reports/GPU-usage-dashboard--');
    }
  });
});
