import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diskLayout } from '../../../src/world/local-wandb/store/persist.js';
import { manualClock } from '../../helpers/fakes.js';
import { gql, gqlData, startTestServer, tempDir, UPSERT_BUCKET } from '../../helpers/local-wandb.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

// The documents W&B's report library sends, verbatim (wandb/wandb-workspaces
// wandb_workspaces/reports/v2/gql.py `upsert_view` and `view_report`) and the Python SDK's report listing
// (wandb/wandb wandb/apis/public/reports.py `Reports.QUERY`).
const UPSERT_VIEW = `
    mutation upsertView(
        $id: ID
        $entityName: String
        $projectName: String
        $type: String
        $name: String
        $displayName: String
        $description: String
        $spec: String!
    ) {
        upsertView(
        input: {
            id: $id
            entityName: $entityName
            projectName: $projectName
            name: $name
            displayName: $displayName
            description: $description
            type: $type
            createdUsing: WANDB_SDK
            spec: $spec
        }
        ) {
        view {
            id
            type
            name
            displayName
            description
            project {
                id
                name
            entityName
            }
            spec
            updatedAt
        }
        inserted
        }
    }
`;
const VIEW_REPORT = `
    query SpecificReport($reportId: ID!) {
        view(id: $reportId) {
            id
            name
            displayName
            description
            project {
                id
                name
                entityName
            }
            createdAt
            updatedAt
            spec
        }
    }
`;
const PROJECT_VIEWS = `
        query ProjectViews($project: String!, $entity: String!, $reportCursor: String,
            $reportLimit: Int!, $viewType: String = "runs", $viewName: String) {
            project(name: $project, entityName: $entity) {
                allViews(viewType: $viewType, viewName: $viewName, first:
                    $reportLimit, after: $reportCursor) {
                    edges {
                        node {
                            id
                            name
                            displayName
                            description
                            user {
                                username
                                photoUrl
                                email
                            }
                            spec
                            updatedAt
                            createdAt
                        }
                        cursor
                    }
                    pageInfo {
                        endCursor
                        hasNextPage
                    }

                }
            }
        }
`;

type ViewAnswer = {
  upsertView: {
    view: {
      id: string;
      type: string;
      name: string;
      displayName: string;
      description: string;
      project: { id: string; name: string; entityName: string };
      spec: string;
      updatedAt: string;
    };
    inserted: boolean;
  };
};
type ListAnswer = {
  project: {
    allViews: {
      edges: {
        node: { id: string; displayName: string; user: unknown; createdAt: string };
        cursor: string;
      }[];
      pageInfo: { endCursor: string | null; hasNextPage: boolean };
    };
  } | null;
};

const SPEC_V1 = JSON.stringify({ version: 5, blocks: [{ type: 'paragraph', children: [{ text: 'one' }] }] });
const SPEC_V2 = JSON.stringify({ version: 5, blocks: [{ type: 'paragraph', children: [{ text: 'two' }] }] });

describe('local W&B: views (Reports)', () => {
  let server: Server;
  const clock = manualClock('2026-12-03T01:00:00.250Z');
  let projectId: string;
  const save = (variables: Record<string, unknown>) =>
    gqlData<ViewAnswer>(server.url, UPSERT_VIEW, {
      entityName: 'local',
      projectName: 'dash',
      type: 'runs',
      name: 'r1name',
      displayName: 'Nightly report',
      description: 'about GPUs',
      spec: SPEC_V1,
      ...variables,
    });
  const list = (variables: Record<string, unknown> = {}) =>
    gqlData<ListAnswer>(server.url, PROJECT_VIEWS, {
      project: 'dash',
      entity: 'local',
      reportLimit: 50,
      ...variables,
    });

  beforeEach(async () => {
    clock.set('2026-12-03T01:00:00.250Z');
    server = await startTestServer({ clock });
    const run = await gqlData<{ upsertBucket: { bucket: { project: { id: string } } } }>(
      server.url,
      UPSERT_BUCKET,
      {
        name: 'run1',
        project: 'dash',
        entity: 'local',
      },
    );
    projectId = run.upsertBucket.bucket.project.id;
  });
  afterEach(async () => {
    await server.close();
  });

  it('creates a view with an id of the form base64("View:<n>") and reads it back as W&B answers it', async () => {
    const saved = await save({});
    const { id } = saved.upsertView.view;
    expect(Buffer.from(id, 'base64').toString('utf8')).toMatch(/^View:\d+$/);
    expect(saved).toEqual({
      upsertView: {
        view: {
          id,
          type: 'runs',
          name: 'r1name',
          displayName: 'Nightly report',
          description: 'about GPUs',
          project: { id: projectId, name: 'dash', entityName: 'local' },
          spec: SPEC_V1,
          updatedAt: '2026-12-03T01:00:00',
        },
        inserted: true,
      },
    });
    const read = await gqlData(server.url, VIEW_REPORT, { reportId: id });
    expect(read).toEqual({
      view: {
        id,
        name: 'r1name',
        displayName: 'Nightly report',
        description: 'about GPUs',
        project: { id: projectId, name: 'dash', entityName: 'local' },
        createdAt: '2026-12-03T01:00:00',
        updatedAt: '2026-12-03T01:00:00',
        spec: SPEC_V1,
      },
    });
  });

  it('updates in place when the id is given: same id, new spec and updatedAt, createdAt kept', async () => {
    const { id } = (await save({})).upsertView.view;
    clock.set('2026-12-04T02:30:00Z');
    const again = await save({ id, spec: SPEC_V2, displayName: 'Nightly report' });
    expect(again.upsertView.inserted).toBe(false);
    expect(again.upsertView.view.id).toBe(id);
    const read = await gqlData<{ view: { createdAt: string; updatedAt: string; spec: string } }>(
      server.url,
      VIEW_REPORT,
      { reportId: id },
    );
    expect(read.view).toMatchObject({
      createdAt: '2026-12-03T01:00:00',
      updatedAt: '2026-12-04T02:30:00',
      spec: SPEC_V2,
    });
    expect((await list()).project?.allViews.edges).toHaveLength(1);
  });

  it('finds a view by an id without its base64 padding, as a report URL carries it', async () => {
    // base64 of "View:<n>" is padded for n of 2 digits: 7 bytes ("View:10" is "VmlldzoxMA==").
    const ids: string[] = [];
    for (let i = 0; i < 10; i += 1) ids.push((await save({ name: `n${i}` })).upsertView.view.id);
    const padded = ids.find((id) => id.endsWith('='));
    expect(padded).toBeDefined();
    const read = await gqlData<{ view: { id: string } }>(server.url, VIEW_REPORT, {
      reportId: padded?.replace(/=+$/, ''),
    });
    expect(read.view.id).toBe(padded);
  });

  it('lists the project views of a type, with their creator, in creation order', async () => {
    const first = (await save({ name: 'a', displayName: 'A' })).upsertView.view.id;
    clock.set('2026-12-03T01:00:05Z');
    await save({ name: 'draft', displayName: 'Draft', type: 'runs/draft' });
    const second = (await save({ name: 'b', displayName: 'B' })).upsertView.view.id;
    const runs = await list();
    expect(
      runs.project?.allViews.edges.map((e) => [e.node.id, e.node.displayName, e.node.createdAt]),
    ).toEqual([
      [first, 'A', '2026-12-03T01:00:00'],
      [second, 'B', '2026-12-03T01:00:05'],
    ]);
    expect(runs.project?.allViews.edges[0]?.node.user).toEqual({
      username: 'local',
      photoUrl: null,
      email: 'local@localhost',
    });
    expect(
      (await list({ viewType: 'runs/draft' })).project?.allViews.edges.map((e) => e.node.displayName),
    ).toEqual(['Draft']);
    expect((await list({ viewName: 'b' })).project?.allViews.edges.map((e) => e.node.id)).toEqual([second]);
    const page1 = await list({ reportLimit: 1 });
    expect(page1.project?.allViews.pageInfo.hasNextPage).toBe(true);
    const page2 = await list({ reportLimit: 1, reportCursor: page1.project?.allViews.pageInfo.endCursor });
    expect(page2.project?.allViews.edges.map((e) => e.node.id)).toEqual([second]);
    expect(page2.project?.allViews.pageInfo.hasNextPage).toBe(false);
  });

  it('answers null for an unknown view and refuses updates of one, a missing project and a non-JSON spec', async () => {
    expect(await gqlData(server.url, VIEW_REPORT, { reportId: 'VmlldzoxMDAw' })).toEqual({ view: null });
    const unknown = await gql(server.url, UPSERT_VIEW, { id: 'VmlldzoxMDAw', spec: SPEC_V1 });
    expect([unknown.status, unknown.body.errors?.[0]?.message]).toEqual([404, 'view not found']);
    const noProject = await gql(server.url, UPSERT_VIEW, {
      entityName: 'local',
      projectName: 'nope',
      spec: SPEC_V1,
    });
    expect([noProject.status, noProject.body.errors?.[0]?.message]).toEqual([404, 'project not found']);
    const badSpec = await gql(server.url, UPSERT_VIEW, {
      entityName: 'local',
      projectName: 'dash',
      spec: '{',
    });
    expect([badSpec.status, badSpec.body.errors?.[0]?.message]).toEqual([400, 'spec is not valid JSON']);
    // A missing `$spec` is a bad request before any resolver runs (gql.py declares it String!).
    const noSpec = await gql(server.url, UPSERT_VIEW, { entityName: 'local', projectName: 'dash' });
    expect(noSpec.status).toBe(400);
  });

  it('keeps views across a restart', async () => {
    const { id } = (await save({})).upsertView.view;
    await server.close();
    server = await startTestServer({ dataDir: server.dataDir, clock });
    const read = await gqlData<{ view: { id: string; spec: string } }>(server.url, VIEW_REPORT, {
      reportId: id,
    });
    expect(read.view).toMatchObject({ id, spec: SPEC_V1 });
  });

  it('keeps project files written before views were stored readable', async () => {
    const dataDir = await tempDir();
    const old = await startTestServer({ dataDir });
    await gqlData(old.url, UPSERT_BUCKET, { name: 'r', project: 'legacy', entity: 'local' });
    await old.close();
    const file = diskLayout(dataDir).projectFile('local', 'legacy');
    const { views: _views, ...before } = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify(before));
    const reopened = await startTestServer({ dataDir });
    try {
      const views = await gqlData<ListAnswer>(reopened.url, PROJECT_VIEWS, {
        project: 'legacy',
        entity: 'local',
        reportLimit: 10,
      });
      expect(views.project?.allViews.edges).toEqual([]);
    } finally {
      await reopened.close();
    }
  });
});
