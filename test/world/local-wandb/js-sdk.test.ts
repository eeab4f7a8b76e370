import wandb from '@wandb/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalWandb } from '../../../src/world/local-wandb/listen.js';
import { API_KEY, gqlData, startTestServer } from '../../helpers/local-wandb.js';

// A run written by the real npm @wandb/sdk 0.5.1 must read back through GraphQL (docs/wandb-protocol.md §14 (b)).
describe('@wandb/sdk against the local server', () => {
  let server: LocalWandb;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('init + 3 logs + finish produce a finished run with its history rows', async () => {
    // A trailing slash makes the SDK post to //graphql (docs/wandb-protocol.md §1.1), which must work too.
    const run = await wandb.init({
      project: 'js-proj',
      name: 'js-display',
      config: { lr: 0.1, nested: { k: 1 } },
      settings: { apiKey: API_KEY, baseUrl: `${server.url}/`, offline: false },
    });
    wandb.log({ loss: 3 });
    wandb.log({ loss: 2 });
    wandb.log({ loss: 1 });
    await wandb.finish();

    const data = await gqlData<{ project: { run: Record<string, unknown> } }>(
      server.url,
      `query Run($project: String!, $entity: String!, $name: String!) {
        project(name: $project, entityName: $entity) {
          run(name: $name) { name displayName state config summaryMetrics historyLineCount history(samples: 10) }
        }
      }`,
      { project: 'js-proj', entity: 'local', name: run.id },
    );
    const got = data.project.run;
    expect(got).toMatchObject({
      name: run.id,
      displayName: 'js-display',
      state: 'finished',
      historyLineCount: 3,
    });
    // The JS SDK sends config unwrapped (docs/wandb-protocol.md §4.3).
    expect(JSON.parse(String(got.config))).toEqual({ lr: 0.1, nested: { k: 1 } });
    const rows = (got.history as string[]).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map((r) => r.loss)).toEqual([3, 2, 1]);
    expect(rows.map((r) => r._step)).toEqual([0, 1, 2]);
    expect(JSON.parse(String(got.summaryMetrics))).toMatchObject({ loss: 1 });
    expect(server.stats().requests.Viewer).toBeGreaterThanOrEqual(1);
  });
});
