import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listReports, publishReport } from '../../../src/product/publish/report.js';
import { buildReportSpec, type ReportSpecInput } from '../../../src/product/report/wandb-report-spec.js';
import { createWandbClient, type WandbClient } from '../../../src/product/wandb/client.js';
import { WandbHttpError } from '../../../src/product/wandb/errors.js';
import { UPSERT_VIEW, VIEW } from '../../../src/product/wandb/queries.js';
import { createRun } from '../../../src/product/wandb/run-writer.js';
import { createMemoryLogger, manualClock } from '../../helpers/fakes.js';
import { API_KEY, startTestServer } from '../../helpers/local-wandb.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
type ViewData = {
  view: { id: string; displayName: string; createdAt: string; updatedAt: string; spec: string };
};

const TITLE = 'GPU usage dashboard';
const INPUT: ReportSpecInput = {
  title: TITLE,
  target: '2026-12-02',
  entity: 'local',
  project: 'dash',
  latestTag: 'latest',
  companies: ['acme'],
};

describe('publishReport against the local W&B server', () => {
  let server: Server;
  let client: WandbClient;
  const clock = manualClock('2026-12-03T01:00:00Z');

  beforeAll(async () => {
    server = await startTestServer({ clock });
    client = createWandbClient({ baseUrl: server.url, apiKey: API_KEY, sleep: async () => {} });
    for (const project of ['dash', 'dupes']) {
      await createRun(client, {
        entity: 'local',
        project,
        runId: 'tables01',
        displayName: 'Tables_2026-12-02',
        tags: [],
      });
    }
  });
  afterAll(async () => {
    await server.close();
  });

  const readView = (id: string) => client.graphql<ViewData>('SpecificReport', VIEW, { reportId: id });

  it('creates the report once, then updates it in place: one report, same id and URL, new spec', async () => {
    const log = createMemoryLogger();
    const spec1 = buildReportSpec(INPUT);
    const first = await publishReport(client, {
      baseUrl: server.url,
      entity: 'local',
      project: 'dash',
      title: TITLE,
      spec: spec1,
      log,
    });
    expect(first.isCreated).toBe(true);
    expect(Buffer.from(first.id, 'base64').toString('utf8')).toMatch(/^View:\d+$/);
    expect(first.url).toBe(`${server.url}/local/dash/reports/GPU-usage-dashboard--${first.id}`);
    const before = (await readView(first.id)).view;
    expect(before.createdAt).toBe('2026-12-03T01:00:00');
    expect(JSON.parse(before.spec)).toEqual(spec1);

    clock.set('2026-12-04T01:00:00Z');
    const spec2 = buildReportSpec({ ...INPUT, target: '2026-12-03', companies: ['acme', 'beta'] });
    const second = await publishReport(client, {
      baseUrl: server.url,
      entity: 'local',
      project: 'dash',
      title: TITLE,
      spec: spec2,
      log,
    });
    expect(second).toEqual({ id: first.id, url: first.url, isCreated: false });
    const after = (await readView(first.id)).view;
    expect(after).toMatchObject({
      displayName: TITLE,
      createdAt: '2026-12-03T01:00:00',
      updatedAt: '2026-12-04T01:00:00',
    });
    expect(JSON.parse(after.spec)).toEqual(spec2);
    expect((await listReports(client, 'local', 'dash')).map((r) => [r.id, r.displayName])).toEqual([
      [first.id, TITLE],
    ]);
    expect(log.events.filter((e) => e.level === 'warn')).toEqual([]);
  });

  it('updates the oldest of several reports sharing the title, warns, and leaves the others', async () => {
    const save = async (displayName: string, type = 'runs') => {
      const data = await client.graphql<{ upsertView: { view: { id: string } } }>('UpsertView', UPSERT_VIEW, {
        entityName: 'local',
        projectName: 'dupes',
        type,
        name: `n-${clock.now().getTime()}`,
        displayName,
        description: '',
        spec: '{}',
      });
      return data.upsertView.view.id;
    };
    clock.set('2026-12-05T00:00:00Z');
    const draft = await save(TITLE, 'runs/draft');
    clock.set('2026-12-05T00:00:10Z');
    const oldest = await save(TITLE);
    clock.set('2026-12-05T00:00:20Z');
    const other = await save('Another report');
    const newer = await save(TITLE);

    const log = createMemoryLogger();
    const spec = buildReportSpec({ ...INPUT, project: 'dupes' });
    const published = await publishReport(client, {
      baseUrl: server.url,
      entity: 'local',
      project: 'dupes',
      title: TITLE,
      spec,
      log,
    });
    expect(published).toMatchObject({ id: oldest, isCreated: false });
    expect(log.events.filter((e) => e.level === 'warn')).toEqual([
      {
        level: 'warn',
        event: 'report.duplicate_title',
        fields: { title: TITLE, updated: oldest, others: [newer] },
      },
    ]);
    expect(JSON.parse((await readView(oldest)).view.spec)).toEqual(spec);
    for (const id of [newer, other, draft]) expect((await readView(id)).view.spec).toBe('{}');
    expect((await listReports(client, 'local', 'dupes')).map((r) => r.id)).toEqual([oldest, other, newer]);
  });

  it('fails with a typed error when the project does not exist', async () => {
    const spec = buildReportSpec({ ...INPUT, project: 'missing' });
    const attempt = publishReport(client, {
      baseUrl: server.url,
      entity: 'local',
      project: 'missing',
      title: TITLE,
      spec,
      log: createMemoryLogger(),
    });
    await expect(attempt).rejects.toBeInstanceOf(WandbHttpError);
    await expect(attempt).rejects.toMatchObject({ status: 404, operation: 'UpsertView' });
  });
});
