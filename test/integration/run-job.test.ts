import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { CANARY, makeJobWorld, runWorldJob } from '../helpers/job-world.js';
import { basicAuth, gql } from '../helpers/local-wandb.js';

let server: LocalWandb;
let dir: string;
beforeAll(async () => {
  ({ dir, server } = await makeJobWorld('run-job'));
});
afterAll(async () => server?.close());

const runJob = (out: string, extra: string[] = []) => runWorldJob(dir, server.url, out, extra);

describe('gpu-dashboard run against the local W&B server', () => {
  let first: Awaited<ReturnType<typeof runJob>>;
  beforeAll(async () => {
    first = await runJob(join(dir, 'out1'));
  });

  it('exits 0 and ends with pipeline.completed for T', () => {
    expect(first.code, first.stderr).toBe(0);
    const last = JSON.parse(first.stderr.trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ event: 'pipeline.completed', target_date: '2025-01-09' });
  });

  // The seeded runs name no user, so they are the API key's user's (the server's viewer, `alpha-team`);
  // the prior row predates the username column.
  it('writes the merged dataset: new rows carry run_exists, the prior row stays', async () => {
    const lines = (await readFile(join(dir, 'out1', 'dataset.csv'), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe(
      'date,company_name,project,run_id,tags,created_at,updated_at,state,duration_hour,gpu_count,average_gpu_utilization,average_gpu_memory,max_gpu_utilization,max_gpu_memory,host_name,logged_at,cpu_count,username,run_exists',
    );
    expect(lines.slice(1)).toEqual([
      '2025-01-09,alpha-team,llm,r1,[],2025-01-09T09:00:00.000000,2025-01-09T15:00:00.000000,finished,6.0,8,60.0,25.0,70.0,30.0,node-1,2025-01-10T12:00:00.000000,32,alpha-team,exists',
      '2025-01-09,alpha-team,llm,r3,[],2025-01-09T11:00:00.000000,2025-01-09T13:00:00.000000,finished,2.0,8,,,,,node-9,2025-01-10T12:00:00.000000,32,alpha-team,exists',
      '2025-01-09,alpha-team,llm,r4,[],2025-01-09T11:00:00.000000,2025-01-09T12:00:00.000000,finished,1.0,8,,,,,node-9,2025-01-10T12:00:00.000000,32,alpha-team,exists',
      '2025-01-08,alpha-team,llm,r0,[],2025-01-08T10:00:00.000000,2025-01-08T20:00:00.000000,finished,10.0,8,,,,,node-1,2025-01-09T00:15:00.000000,32,,exists',
    ]);
  });

  it('writes the tables hand computation gives', async () => {
    const daily = (await readFile(join(dir, 'out1', 'daily.csv'), 'utf8')).trim().split('\n');
    // Jan 9: 48 + 16 + 8 = 72 of 192 h = 37.5 %; metric hours 6 (r1 only). Jan 8: 80 of 192 = 41.67 %.
    // §13: Jan 9 busy 48 × 60 % = 28.8, idle 192 − 72 = 120, unmeasured 16 + 8 = 24 (r3, r4), 28.8 / 192 = 15 %;
    // Jan 8 idle 112, unmeasured 80 (r0 has no metrics).
    expect(daily.slice(1)).toEqual([
      'alpha,2025-01-09,72.0,37.5,60.0,70.0,25.0,30.0,3,1,192,72.0,6.0,28.8,120.0,24.0,15.0',
      'alpha,2025-01-08,80.0,41.7,0.0,0.0,0.0,0.0,1,1,192,80.0,0.0,0.0,112.0,80.0,0.0',
    ]);
    const weekly = (await readFile(join(dir, 'out1', 'weekly.csv'), 'utf8')).trim().split('\n');
    // Week of Sunday Jan 5: 152 of 384 h = 39.58 %; busy 28.8, idle 384 − 152 = 232, unmeasured 104, 28.8 / 384 = 7.5 %.
    expect(weekly[1]).toBe(
      'alpha,2025-01-05,152.0,39.6,60.0,70.0,25.0,30.0,4,2,384,152.0,6.0,28.8,232.0,104.0,7.5',
    );
    const summary = (await readFile(join(dir, 'out1', 'summary.csv'), 'utf8')).trim().split('\n');
    // Week Jan 5–9: 152 GPU h over 4 runs; r4 starts before r3 ends on node-9 (ordered by created_at, then id).
    expect(summary[1]).toBe('alpha-team,llm,152.00,4,0,1,0');
  });

  it('publishes Tables_<T> runs tagged [overall, latest] and [alpha, latest] and a new dataset version', async () => {
    const res = await gql(
      server.url,
      `{ project(name: "board", entityName: "dash") { runs(first: 50) { edges { node { name displayName tags } } } artifact(name: "all_runs_data:latest") { versionIndex } } }`,
      {},
      { key: CANARY },
    );
    const project = res.body.data?.project as {
      runs: { edges: { node: { displayName: string; tags: string[] } }[] };
      artifact: { versionIndex: number };
    };
    const tables = project.runs.edges.map((e) => e.node).filter((n) => n.displayName === 'Tables_2025-01-09');
    expect(tables.map((n) => [...n.tags].sort()).sort()).toEqual([
      ['alpha', 'latest'],
      ['latest', 'overall'],
    ]);
    expect(project.artifact.versionIndex).toBe(1);
  });

  it('sends the duplicate-init alert and no low-utilisation alert (37.5 % ≥ 10 %)', async () => {
    const alerts = (await (
      await fetch(`${server.url}/_local/alerts`, { headers: { Authorization: basicAuth(CANARY) } })
    ).json()) as {
      title: string;
      text: string;
    }[];
    expect(alerts.map((a) => a.title)).toEqual(['Duplicate wandb.init runs found.']);
    expect(alerts[0]?.text).toMatch(/alpha-team llm host node-9: 2 runs \(r3, r4\)/);
  });

  it('a second run over the same range changes nothing but logged_at, with one latest per tag', async () => {
    const second = await runJob(join(dir, 'out2'));
    expect(second.code).toBe(0);
    const strip = (text: string) => text.replace(/2025-01-10T12:00:00\.000000/g, 'LOGGED');
    expect(strip(await readFile(join(dir, 'out2', 'dataset.csv'), 'utf8'))).toBe(
      strip(await readFile(join(dir, 'out1', 'dataset.csv'), 'utf8')),
    );
    const res = await gql(
      server.url,
      `{ project(name: "board", entityName: "dash") { runs(filters: "{\\"tags\\": {\\"$in\\": [\\"latest\\"]}}", first: 50) { edges { node { tags } } } } }`,
      {},
      { key: CANARY },
    );
    const tags = (
      res.body.data?.project as { runs: { edges: { node: { tags: string[] } }[] } }
    ).runs.edges.map((e) => e.node.tags);
    expect(
      tags
        .flat()
        .filter((t) => t !== 'latest')
        .sort(),
    ).toEqual(['alpha', 'overall']);
  });

  it('never writes the API key to stdout, stderr or --out files', async () => {
    expect(first.stdout + first.stderr).not.toContain(CANARY);
    for (const name of [
      'dataset.csv',
      'daily.csv',
      'weekly.csv',
      'monthly.csv',
      'overall.csv',
      'summary.csv',
      'run-report.json',
    ]) {
      expect(await readFile(join(dir, 'out1', name), 'utf8')).not.toContain(CANARY);
    }
  });
});
