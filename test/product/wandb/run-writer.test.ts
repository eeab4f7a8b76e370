import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRun,
  finishRun,
  generateRunId,
  listRunsByTag,
  logHistory,
  sendAlert,
  setRunTags,
  uploadRunFiles,
} from '../../../src/product/wandb/run-writer.js';
import { listRuns } from '../../../src/product/wandb/runs.js';
import { parseUploadHeaders } from '../../../src/product/wandb/signed-upload.js';
import { fixedClock } from '../../helpers/fakes.js';
import { basicAuth } from '../../helpers/local-wandb.js';
import { startSeeded, testClient } from '../../helpers/wandb.js';

const E = 'team';
const P = 'dash';

describe('run writer', () => {
  let server: Awaited<ReturnType<typeof startSeeded>>;
  beforeAll(async () => {
    server = await startSeeded({ entities: [{ name: E }] });
  });
  afterAll(() => server.close());

  it('generates 8-char [a-z0-9] run ids from the injected random', () => {
    let i = 0;
    const id = generateRunId(() => (i++ % 36) / 36);
    expect(id).toBe('abcdefgh');
    expect(generateRunId(() => 0.9999999)).toBe('99999999');
  });

  it('parses upload headers on the first colon without trimming', () => {
    expect(parseUploadHeaders(['Content-MD5:abc', 'X-Meta: a:b', 'bad'])).toEqual({
      'Content-MD5': 'abc',
      'X-Meta': ' a:b',
    });
  });

  it('creates a run, uploads files, logs history, finishes, alerts and retags it', async () => {
    const client = testClient(server.url);
    const created = await createRun(client, {
      entity: E,
      project: P,
      displayName: 'Tables_2024-10-01',
      jobType: 'update-table',
      tags: ['overall', 'latest'],
      config: { target: '2024-10-01' },
      random: () => 0.1,
    });
    expect(created.runId).toMatch(/^[a-z0-9]{8}$/);
    const run = { entity: E, project: P, run: created.runId };

    const table = JSON.stringify({ columns: ['a'], data: [[1]] });
    const uploaded = await uploadRunFiles(client, run, [
      { name: 'media/table/t_0_abc.table.json', body: table },
    ]);
    expect(uploaded).toEqual(['media/table/t_0_abc.table.json']);

    const clock = fixedClock('2024-10-02T00:00:10Z');
    const startedAtMs = Date.parse('2024-10-02T00:00:00Z');
    await logHistory(
      client,
      run,
      [{ warning: 'No data' }, { n: 2 }],
      { warning: 'No data', n: 2 },
      {
        clock,
        startedAtMs,
        uploaded,
      },
    );
    await finishRun(client, run, 0, uploaded);
    // No waitDurationMs: the Python SDK's default of one minute is sent.
    await sendAlert(client, run, { title: 'Low utilization: abeja', text: 'abeja', severity: 'WARN' });
    await sendAlert(client, run, {
      title: 'Duplicate wandb.init runs found.',
      text: 'x',
      severity: 'INFO',
      waitDurationMs: 1500.7,
    });

    const [node] = await listRuns(client, {
      entity: E,
      project: P,
      filters: { name: { $in: [created.runId] } },
    });
    expect(node).toMatchObject({
      id: created.id,
      displayName: 'Tables_2024-10-01',
      state: 'finished',
      tags: ['overall', 'latest'],
      config: { target: '2024-10-01' },
      summaryMetrics: { warning: 'No data', n: 2, _step: 1, _runtime: 10, _timestamp: 1_727_827_210 },
    });

    const history = await client.graphql<{
      project: {
        run: { history: string[]; files: { edges: { node: { name: string; directUrl: string } }[] } };
      };
    }>(
      'RunHistory',
      `query RunHistory($e: String!, $p: String!, $r: String!) { project(name: $p, entityName: $e) {
        run(name: $r) { history(samples: 10) files(names: ["media/table/t_0_abc.table.json"]) { edges { node { name directUrl } } } } } }`,
      { e: E, p: P, r: created.runId },
    );
    expect(history.project.run.history.map((l) => JSON.parse(l))).toEqual([
      { _step: 0, _runtime: 10, _timestamp: 1_727_827_210, warning: 'No data' },
      { _step: 1, _runtime: 10, _timestamp: 1_727_827_210, n: 2 },
    ]);
    const file = history.project.run.files.edges[0]?.node;
    expect(file?.name).toBe('media/table/t_0_abc.table.json');
    expect(String(await client.download(file?.directUrl ?? ''))).toBe(table);

    const alerts = (await (
      await fetch(`${server.url}/_local/alerts`, { headers: { Authorization: basicAuth() } })
    ).json()) as unknown[];
    expect(alerts).toContainEqual(
      expect.objectContaining({
        title: 'Low utilization: abeja',
        text: 'abeja',
        severity: 'WARN',
        run: created.runId,
        waitDuration: 60_000,
      }),
    );
    // The Duration scalar takes integer ms: a fractional wait is cut to one, as Python's int() does.
    expect(alerts).toContainEqual(
      expect.objectContaining({ title: 'Duplicate wandb.init runs found.', waitDuration: 1500 }),
    );

    expect((await listRunsByTag(client, E, P, 'latest')).map((r) => r.name)).toEqual([created.runId]);
    await setRunTags(client, created.id, ['overall']);
    expect(await listRunsByTag(client, E, P, 'latest')).toEqual([]);
    const [after] = await listRunsByTag(client, E, P, 'overall');
    // Only tags changed: display name, config and summary stay.
    expect(after).toMatchObject({
      tags: ['overall'],
      displayName: 'Tables_2024-10-01',
      config: { target: '2024-10-01' },
      summaryMetrics: { n: 2 },
    });
  });

  it('a failed exit code marks the run failed; createRun with the same id resumes it', async () => {
    const client = testClient(server.url);
    const first = await createRun(client, {
      entity: E,
      project: P,
      runId: 'resume01',
      displayName: 'x',
      tags: [],
    });
    const again = await createRun(client, {
      entity: E,
      project: P,
      runId: 'resume01',
      displayName: 'y',
      tags: ['t'],
    });
    expect(again).toEqual(first);
    await finishRun(client, { entity: E, project: P, run: 'resume01' }, 1);
    const [node] = await listRunsByTag(client, E, P, 't');
    expect(node).toMatchObject({ name: 'resume01', displayName: 'y', state: 'failed' });
  });
});
