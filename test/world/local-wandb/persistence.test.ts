import { afterEach, describe, expect, it } from 'vitest';
import { basicAuth, gqlData, startTestServer, tempDir, UPSERT_BUCKET } from '../../helpers/local-wandb.js';
import { fixture, SEED, writeSeed } from '../../helpers/seed-fixture.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
type RunsData = {
  project: { runCount: number; runs: { edges: { node: { name: string; tags: string[] } }[] } } | null;
};
const RUNS = `query($project: String!, $filters: JSONString) { project(name: $project, entityName: "local") {
  runCount(filters: $filters) runs(first: 1000, filters: $filters, order: "+created_at") { edges { node { name tags } } } } }`;

// State survives restarts and concurrent writes.
describe('local W&B: persistence and concurrency', () => {
  const open: Server[] = [];
  const start = async (options: Parameters<typeof startTestServer>[0]) => {
    const server = await startTestServer(options);
    open.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  it('keeps runs, lines, files, artifacts and alerts across a restart', async () => {
    const dataDir = await tempDir();
    const a = await start({ dataDir, seed: await writeSeed(await tempDir()) });
    await gqlData(a.url, UPSERT_BUCKET, { name: 'persist1', project: 'keep', entity: 'local', tags: ['t'] });
    await fetch(`${a.url}/files/local/keep/persist1/file_stream`, {
      method: 'POST',
      headers: { Authorization: basicAuth(), 'Content-Type': 'application/json' },
      body: JSON.stringify({
        files: { 'wandb-history.jsonl': { offset: 0, content: ['{"_step":0,"v":1}'] } },
        complete: true,
        exitcode: 0,
      }),
    });
    await a.close();
    open.pop();

    const b = await start({ dataDir });
    const run = await gqlData<{ project: { run: { tags: string[]; state: string; history: string[] } } }>(
      b.url,
      'query { project(name: "keep", entityName: "local") { run(name: "persist1") { tags state history } } }',
    );
    expect(run.project.run).toEqual({ tags: ['t'], state: 'finished', history: ['{"_step":0,"v":1}'] });
    const events = await gqlData<{ project: { run: { events: string[] } } }>(
      b.url,
      fixture('run-full-history'),
      {
        project: 'gpu-info-llm',
        entity: 'abeja-geniac',
        name: 'a1b2c3d4',
        samples: 100,
      },
    );
    expect(events.project.run.events).toHaveLength(5);
    const artifact = await gqlData<{ project: { artifact: { versionIndex: number } } }>(
      b.url,
      fixture('artifact-by-name'),
      {
        entityName: 'geniac-gpu',
        projectName: 'gpu-dashboard2',
        name: 'all_runs_data:latest',
      },
    );
    expect(artifact.project.artifact.versionIndex).toBe(1);
  });

  it('loads a seed once: a restart with another seed leaves the data dir as it was', async () => {
    const dataDir = await tempDir();
    const first = await start({ dataDir, seed: await writeSeed(await tempDir()) });
    await first.close();
    open.pop();
    const other = {
      ...SEED,
      runs: [{ ...SEED.runs?.[0], name: 'zzzzzzzz' } as NonNullable<typeof SEED.runs>[number]],
    };
    const second = await start({ dataDir, seed: await writeSeed(await tempDir(), other) });
    const data = await gqlData<{ project: { a: unknown; z: unknown } }>(
      second.url,
      'query { project(name: "gpu-info-llm", entityName: "abeja-geniac") { a: run(name: "a1b2c3d4") { name } z: run(name: "zzzzzzzz") { name } } }',
    );
    expect(data.project).toEqual({ a: { name: 'a1b2c3d4' }, z: null });
  });

  it('stays consistent under concurrent upserts and file-stream posts', async () => {
    const dataDir = await tempDir();
    const server = await start({ dataDir });
    const names = Array.from({ length: 40 }, (_, i) => `conc${String(i).padStart(4, '0')}`);
    await Promise.all(
      names.map((name) =>
        gqlData(server.url, UPSERT_BUCKET, { name, project: 'conc', entity: 'local', tags: ['new'] }),
      ),
    );
    // 20 racing tag updates of one run, and 20 racing stream chunks at distinct offsets.
    await Promise.all([
      // Highest offset first: chunks arriving out of order must still land at their line index.
      ...Array.from({ length: 20 }, (_, j) => 19 - j).map((i) =>
        gqlData(server.url, UPSERT_BUCKET, {
          name: names[0],
          project: 'conc',
          entity: 'local',
          tags: [`t${i}`],
        }),
      ),
      // Highest offset first: chunks arriving out of order must still land at their line index.
      ...Array.from({ length: 20 }, (_, j) => 19 - j).map((i) =>
        fetch(`${server.url}/files/local/conc/${names[1]}/file_stream`, {
          method: 'POST',
          headers: { Authorization: basicAuth(), 'Content-Type': 'application/json' },
          body: JSON.stringify({
            files: { 'wandb-history.jsonl': { offset: i, content: [`{"_step":${i}}`] } },
          }),
        }),
      ),
    ]);
    const check = async (url: string) => {
      const data = await gqlData<RunsData>(url, RUNS, { project: 'conc' });
      expect(data.project?.runCount).toBe(40);
      expect(data.project?.runs.edges.map((e) => e.node.name).sort()).toEqual(names);
      const tags = data.project?.runs.edges.find((e) => e.node.name === names[0])?.node.tags;
      expect(tags).toHaveLength(1);
      expect(tags?.[0]).toMatch(/^t\d+$/);
      const lines = await gqlData<{ project: { run: { historyLineCount: number; history: string[] } } }>(
        url,
        `query { project(name: "conc", entityName: "local") { run(name: "${names[1]}") { historyLineCount history(samples: 100) } } }`,
      );
      expect(lines.project.run.historyLineCount).toBe(20);
      expect(lines.project.run.history.map((l) => (JSON.parse(l) as { _step: number })._step)).toEqual(
        Array.from({ length: 20 }, (_, i) => i),
      );
    };
    await check(server.url);
    await server.close();
    open.pop();
    await check((await start({ dataDir })).url);
  });
});
