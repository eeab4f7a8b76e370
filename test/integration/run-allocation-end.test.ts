// Nightly jobs across the end of a company's allocation (docs/behaviour.md §7): the morning after each
// night, `check` finds nothing wrong with the dashboard. The night beta's allocation ends, no job
// publishes a run for it, yet `latest` must leave its last run.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/product/checker/types.js';
import { addDays, type IsoDate } from '../../src/product/shared/dates.js';
import { createWandbClient } from '../../src/product/wandb/client.js';
import { listRuns, type RunNode } from '../../src/product/wandb/runs.js';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { checkAgainst } from '../helpers/check-now.js';
import { fixedClock } from '../helpers/fakes.js';
import { API_KEY, startTestServer, tempDir } from '../helpers/local-wandb.js';
import { runCliCaptured } from '../helpers/run-cli.js';

// beta has 1 node until Jan 7 and none from Jan 8; gamma starts on Jan 8.
const CONFIG = `
timezone: Asia/Tokyo
dashboard: { entity: dash, project: board, tag_for_latest: latest }
dataset: { entity: dash, project: board, artifact_name: all_runs_data }
companies:
  - company: alpha
    teams: [alpha-team]
    schedule: [{ date: "2025-01-01", assigned_gpu_node: 1 }]
  - company: beta
    teams: [beta-team]
    schedule: [{ date: "2025-01-01", assigned_gpu_node: 1 }, { date: "2025-01-08", assigned_gpu_node: 0 }]
  - company: gamma
    teams: [gamma-team]
    schedule: [{ date: "2025-01-08", assigned_gpu_node: 2 }]
`;
const NIGHTS = ['2025-01-06', '2025-01-07', '2025-01-08', '2025-01-09'] as IsoDate[];
const TEAMS = ['alpha-team', 'beta-team', 'gamma-team'];

/** One 6-hour run per team and night (UTC 00:00-06:00 is 09:00-15:00 in Tokyo). */
function runsOf(night: IsoDate) {
  return TEAMS.map((entity) => ({
    entity,
    project: 'llm',
    name: `${entity.slice(0, 1)}${night.slice(-2)}`,
    displayName: `${entity}-${night}`,
    state: 'finished',
    tags: [],
    host: `${entity}-node-1`,
    createdAt: `${night}T00:00:00`,
    heartbeatAt: `${night}T06:00:00`,
    runInfo: { gpu: 'NVIDIA H100 80GB HBM3', gpuCount: 8, cpuCount: 32 },
    config: {},
    summaryMetrics: {},
    systemMetrics: [],
  }));
}
const SEED = {
  entities: [...TEAMS, 'dash'].map((name) => ({ name })),
  projects: [...TEAMS, 'dash'].map((entity) => ({
    entity,
    name: entity === 'dash' ? 'board' : 'llm',
    createdAt: '2025-01-01T00:00:00',
  })),
  runs: NIGHTS.flatMap(runsOf),
};

/** The dashboard's Tables runs on the server. */
function tablesRuns(server: LocalWandb): Promise<RunNode[]> {
  const wandb = createWandbClient({ baseUrl: server.url, apiKey: API_KEY });
  return listRuns(wandb, { entity: 'dash', project: 'board', filters: { jobType: 'update-table' } });
}

/** [name, tag] of each run holding latest, sorted. */
function latestHolders(tables: readonly RunNode[]): (string | null | undefined)[][] {
  return tables
    .filter((r) => r.tags.includes('latest'))
    .map((r) => [r.displayName, r.tags.filter((t) => t !== 'latest')[0]])
    .sort();
}

describe('run: nightly jobs across the end of an allocation', () => {
  let dir: string;
  let server: LocalWandb;
  const mornings = new Map<IsoDate, CheckReport>();
  beforeAll(async () => {
    dir = await tempDir('run-allocation-end-');
    await writeFile(join(dir, 'config.yaml'), CONFIG);
    await writeFile(join(dir, 'seed.json'), JSON.stringify(SEED));
    server = await startTestServer({ seed: join(dir, 'seed.json') });
    for (const night of NIGHTS) {
      const morning = `${addDays(night, 1)}T00:00:00Z`;
      const result = await runCliCaptured(['run', '--config', 'config.yaml', '--end-date', night], {
        cwd: dir,
        env: { WANDB_BASE_URL: server.url, WANDB_API_KEY: API_KEY },
        clock: fixedClock(morning),
      });
      expect(result.code, result.stderr).toBe(0);
      mornings.set(
        night,
        await checkAgainst(
          server,
          API_KEY,
          join(dir, 'config.yaml'),
          night,
          `${addDays(night, 1)}T01:00:00Z`,
        ),
      );
    }
  }, 120_000);
  afterAll(() => server?.close());

  it('leaves check with no dashboard finding on any morning', () => {
    for (const night of NIGHTS) {
      const dashboard = mornings.get(night)!.findings.filter((f) => f.check === 'dashboard');
      expect(dashboard, night).toEqual([]);
    }
  });

  it('takes latest off the ended company while keeping its runs and their company tag', async () => {
    const tables = await tablesRuns(server);
    const holding = latestHolders(tables);
    expect(holding).toEqual([
      ['Tables_2025-01-09', 'alpha'],
      ['Tables_2025-01-09', 'gamma'],
      ['Tables_2025-01-09', 'overall'],
    ]);
    const beta = tables
      .filter((r) => r.tags.includes('beta'))
      .map((r) => r.displayName)
      .sort();
    expect(beta).toEqual(['Tables_2025-01-06', 'Tables_2025-01-07']);
  });
});

describe('run: a backfill of the ended company’s last days, after the newest night', () => {
  let dir: string;
  let server: LocalWandb;
  let check: CheckReport;
  beforeAll(async () => {
    dir = await tempDir('run-allocation-backfill-');
    await writeFile(join(dir, 'config.yaml'), CONFIG);
    await writeFile(join(dir, 'seed.json'), JSON.stringify(SEED));
    server = await startTestServer({ seed: join(dir, 'seed.json') });
    // The night of Jan 8 first, then a backfill of Jan 6-7 (when beta still had nodes) lands after it,
    // as a late concurrent job would: it publishes beta's runs with latest, then must take it off again.
    for (const args of [
      ['--end-date', '2025-01-08'],
      ['--start-date', '2025-01-06', '--end-date', '2025-01-07'],
    ]) {
      const result = await runCliCaptured(['run', '--config', 'config.yaml', ...args], {
        cwd: dir,
        env: { WANDB_BASE_URL: server.url, WANDB_API_KEY: API_KEY },
        clock: fixedClock('2025-01-09T00:00:00Z'),
      });
      expect(result.code, result.stderr).toBe(0);
    }
    check = await checkAgainst(
      server,
      API_KEY,
      join(dir, 'config.yaml'),
      '2025-01-08',
      '2025-01-09T01:00:00Z',
    );
  }, 120_000);
  afterAll(() => server?.close());

  it('leaves latest on the newest night and none on the ended company', async () => {
    expect(check.findings.filter((f) => f.check === 'dashboard')).toEqual([]);
    const holding = latestHolders(await tablesRuns(server));
    expect(holding).toEqual([
      ['Tables_2025-01-08', 'alpha'],
      ['Tables_2025-01-08', 'gamma'],
      ['Tables_2025-01-08', 'overall'],
    ]);
  });
});
