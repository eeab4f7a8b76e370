import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, manualClock } from '../../helpers/fakes.js';
import { basicAuth, gql, gqlData, startTestServer, UPSERT_BUCKET } from '../../helpers/local-wandb.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
type Bucket = {
  id: string;
  name: string;
  displayName: string;
  config: string;
  tags: string[];
  state: string;
  project: { name: string; entity: { name: string } };
};

const RUN_QUERY = `query Run($project: String!, $entity: String!, $name: String!) {
  project(name: $project, entityName: $entity) { run(name: $name) {
    name displayName state tags config summaryMetrics createdAt heartbeatAt historyLineCount eventsLineCount
    history(samples: 100) events(samples: 100) } } }`;

// Write side of docs/wandb-protocol.md §6–docs/wandb-protocol.md §8 and §10.
describe('local W&B: writes', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer({ clock: fixedClock('2024-11-03T00:15:00.750Z') });
  });
  afterAll(async () => {
    await server.close();
  });
  const readRun = async (name: string, project = 'p1') =>
    (
      await gqlData<{ project: { run: Record<string, unknown> | null } | null }>(server.url, RUN_QUERY, {
        project,
        entity: 'local',
        name,
      })
    ).project?.run;
  const upsert = (variables: Record<string, unknown>) =>
    gqlData<{ upsertBucket: { bucket: Bucket; inserted: boolean } }>(server.url, UPSERT_BUCKET, variables);

  it('creates a run by (entity, project, name), auto-creating the project, then updates it', async () => {
    const created = await upsert({
      name: 'run00001',
      project: 'p1',
      entity: 'local',
      displayName: 'first',
      config: '{"lr":{"value":0.1}}',
      tags: ['a', 'b'],
    });
    expect(created.upsertBucket).toEqual({
      inserted: true,
      bucket: expect.objectContaining({
        name: 'run00001',
        displayName: 'first',
        tags: ['a', 'b'],
        state: 'running',
        project: expect.objectContaining({ name: 'p1', entity: expect.objectContaining({ name: 'local' }) }),
      }),
    });
    expect(await readRun('run00001')).toMatchObject({
      createdAt: '2024-11-03T00:15:00',
      heartbeatAt: '2024-11-03T00:15:00',
    });

    // Update by id: tags replace the list, absent/null fields stay unchanged.
    const byId = await upsert({ id: created.upsertBucket.bucket.id, tags: ['b'], displayName: null });
    expect(byId.upsertBucket.inserted).toBe(false);
    expect(byId.upsertBucket.bucket).toMatchObject({ name: 'run00001', displayName: 'first', tags: ['b'] });
    expect(JSON.parse(byId.upsertBucket.bucket.config)).toEqual({ lr: { value: 0.1 } });

    // Update by the triple; a summary-only upsert keeps tags and config.
    const byTriple = await upsert({
      name: 'run00001',
      project: 'p1',
      entity: 'local',
      summaryMetrics: '{"loss":1}',
    });
    expect(byTriple.upsertBucket).toMatchObject({
      inserted: false,
      bucket: { tags: ['b'], displayName: 'first' },
    });
    expect(await readRun('run00001')).toMatchObject({ summaryMetrics: '{"loss":1}', tags: ['b'] });
  });

  it('answers 404 "run not found" for an update by an unknown id', async () => {
    const res = await gql(server.url, UPSERT_BUCKET, { id: 'UnVuOnYxOm5vcGU6bm9wZTpub3Bl', tags: [] });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      errors: [{ message: 'run not found', locations: expect.any(Array), path: ['upsertBucket'] }],
      data: { upsertBucket: null },
    });
  });

  it('answers 404 "project not found" for createRunFiles in a missing project (docs/wandb-protocol.md §1.5)', async () => {
    const res = await gql(
      server.url,
      `mutation CreateRunFiles($entity: String!, $project: String!, $run: String!, $files: [String!]!) {
        createRunFiles(input: {entityName: $entity, projectName: $project, runName: $run, files: $files}) { runID uploadHeaders files { name uploadUrl } } }`,
      { entity: 'local', project: 'missing', run: 'x', files: ['a.txt'] },
    );
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      errors: [{ message: 'project not found', path: ['createRunFiles'] }],
      data: { createRunFiles: null },
    });
  });

  it('applies file-stream posts: lines by offset (overwriting), last summary line, complete + exitcode', async () => {
    await upsert({ name: 'stream01', project: 'p1', entity: 'local' });
    const post = (body: unknown, key?: string) =>
      fetch(`${server.url}/files/local/p1/stream01/file_stream`, {
        method: 'POST',
        headers: { Authorization: basicAuth(key), 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const row = (step: number, v: number) =>
      JSON.stringify({ _step: step, _runtime: step, _timestamp: 1730592900 + step, v });
    expect((await post({}, 'wrong')).status).toBe(401);
    const first = await post({
      files: {
        'wandb-history.jsonl': { offset: 0, content: [row(0, 1), row(1, 2)] },
        'wandb-summary.json': { offset: 0, content: ['{"v":1}', '{"v":2}'] },
        'wandb-events.jsonl': { offset: 0, content: ['{"_wandb":true,"system.gpu.0.gpu":97}'] },
      },
    });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({});
    // A retried chunk resends offset 1; then line 2 follows.
    await post({ files: { 'wandb-history.jsonl': { offset: 1, content: [row(1, 20), row(2, 3)] } } });
    await post({ complete: true, exitcode: 1 });
    const run = await readRun('stream01');
    expect(run).toMatchObject({
      state: 'failed',
      historyLineCount: 3,
      eventsLineCount: 1,
      summaryMetrics: '{"v":2}',
    });
    expect((run?.history as string[]).map((l) => (JSON.parse(l) as { v: number }).v)).toEqual([1, 20, 3]);
    expect(run?.events).toEqual(['{"_wandb":true,"system.gpu.0.gpu":97}']);
  });

  it('uploads a run file via createRunFiles + unauthenticated PUT and serves it at its authenticated url', async () => {
    await upsert({ name: 'files001', project: 'p1', entity: 'local' });
    const created = await gqlData<{
      createRunFiles: {
        runID: string;
        uploadHeaders: string[];
        files: { name: string; uploadUrl: string }[];
      };
    }>(
      server.url,
      `mutation CreateRunFiles($entity: String!, $project: String!, $run: String!, $files: [String!]!) {
        createRunFiles(input: {entityName: $entity, projectName: $project, runName: $run, files: $files}) { runID uploadHeaders files { name uploadUrl } } }`,
      { entity: 'local', project: 'p1', run: 'files001', files: ['media/table/t_0_abc.table.json'] },
    );
    const [upload] = created.createRunFiles.files;
    expect(upload?.uploadUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const body = '{"columns":["a"],"data":[[1]]}';
    expect((await fetch(upload?.uploadUrl ?? '', { method: 'PUT', body })).status).toBe(200);
    const listed = await gqlData<{
      project: {
        run: { files: { edges: { node: { name: string; url: string; sizeBytes: number; md5: string } }[] } };
      };
    }>(
      server.url,
      `query RunFiles($project: String!, $entity: String!, $name: String!, $names: [String]) {
        project(name: $project, entityName: $entity) { run(name: $name) { files(names: $names, first: 10) {
          edges { node { name url directUrl sizeBytes md5 updatedAt } } } } } }`,
      { project: 'p1', entity: 'local', name: 'files001', names: ['media/table/t_0_abc.table.json'] },
    );
    const node = listed.project.run.files.edges[0]?.node;
    expect(node).toMatchObject({
      name: 'media/table/t_0_abc.table.json',
      sizeBytes: body.length,
      md5: 'xC+6Uqhk2/HncqXNfShhPg==' /* base64 MD5 of body */,
    });
    expect((await fetch(node?.url ?? '')).status).toBe(401);
    const got = await fetch(node?.url ?? '', { headers: { Authorization: basicAuth() } });
    expect(await got.text()).toBe(body);
  });

  it('records scriptable run alerts and serves them at /_local/alerts', async () => {
    await upsert({ name: 'alert001', project: 'p1', entity: 'local' });
    const data = await gqlData(
      server.url,
      `mutation NotifyScriptableRunAlert($entityName: String!, $projectName: String!, $runName: String!,
          $title: String!, $text: String!, $severity: AlertSeverity = INFO, $waitDuration: Duration) {
        notifyScriptableRunAlert(input: {entityName: $entityName, projectName: $projectName, runName: $runName,
          title: $title, text: $text, severity: $severity, waitDuration: $waitDuration}) { success } }`,
      {
        entityName: 'local',
        projectName: 'p1',
        runName: 'alert001',
        title: 'Low utilization: abeja',
        text: 'abeja',
        severity: 'WARN',
        waitDuration: 60000,
      },
    );
    expect(data).toEqual({ notifyScriptableRunAlert: { success: true } });
    const alerts = (await (
      await fetch(`${server.url}/_local/alerts`, { headers: { Authorization: basicAuth() } })
    ).json()) as unknown[];
    expect(alerts).toEqual([
      {
        title: 'Low utilization: abeja',
        text: 'abeja',
        severity: 'WARN',
        entity: 'local',
        project: 'p1',
        run: 'alert001',
        waitDuration: 60000,
        time: '2024-11-03T00:15:00.750Z',
      },
    ]);
  });
});

const ALERT = `mutation NotifyScriptableRunAlert($entityName: String!, $projectName: String!, $runName: String!,
    $title: String!, $text: String!, $severity: AlertSeverity = INFO, $waitDuration: Duration) {
  notifyScriptableRunAlert(input: {entityName: $entityName, projectName: $projectName, runName: $runName,
    title: $title, text: $text, severity: $severity, waitDuration: $waitDuration}) { success } }`;

describe('local W&B: alert de-duplication', () => {
  let server: Server;
  const clock = manualClock('2025-01-10T00:20:00Z');
  beforeAll(async () => {
    server = await startTestServer({ clock });
    for (const name of ['dedupe01', 'dedupe02']) {
      await gqlData(server.url, UPSERT_BUCKET, { name, project: 'p1', entity: 'local' });
    }
  });
  afterAll(async () => server.close());

  const send = async (runName: string, title: string, text: string, waitDuration?: number) =>
    gqlData(server.url, ALERT, {
      entityName: 'local',
      projectName: 'p1',
      runName,
      title,
      text,
      ...(waitDuration === undefined ? {} : { waitDuration }),
    });
  const stored = async () =>
    (
      (await (
        await fetch(`${server.url}/_local/alerts`, { headers: { Authorization: basicAuth() } })
      ).json()) as {
        run: string;
        title: string;
        text: string;
      }[]
    ).map((a) => `${a.run} ${a.title} / ${a.text}`);

  it('drops a title repeated on the same run within its wait, answering success as W&B does', async () => {
    const ok = { notifyScriptableRunAlert: { success: true } };
    expect(await send('dedupe01', 'Low utilization: abeja', 'first', 60_000)).toEqual(ok);
    expect(await send('dedupe01', 'Low utilization: abeja', 'repeat', 60_000)).toEqual(ok);
    expect(await send('dedupe01', 'Low utilization: kotoba', 'other title', 60_000)).toEqual(ok);
    expect(await send('dedupe02', 'Low utilization: abeja', 'other run', 60_000)).toEqual(ok);
    clock.advance(59_999);
    expect(await send('dedupe01', 'Low utilization: abeja', 'still within the wait', 60_000)).toEqual(ok);
    // A shorter wait on the repeat lets it through; without a wait, the SDK's one minute applies.
    expect(await send('dedupe01', 'Low utilization: kotoba', 'after a 1 s wait', 1_000)).toEqual(ok);
    expect(await send('dedupe02', 'Low utilization: abeja', 'no wait given')).toEqual(ok);
    clock.advance(1);
    expect(await send('dedupe01', 'Low utilization: abeja', 'after the wait', 60_000)).toEqual(ok);
    expect(await stored()).toEqual([
      'dedupe01 Low utilization: abeja / first',
      'dedupe01 Low utilization: kotoba / other title',
      'dedupe02 Low utilization: abeja / other run',
      'dedupe01 Low utilization: kotoba / after a 1 s wait',
      'dedupe01 Low utilization: abeja / after the wait',
    ]);
  });
});
