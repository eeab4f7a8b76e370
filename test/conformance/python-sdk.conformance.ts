import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calculateTables } from '../../src/product/calculator/build-tables.js';
import { publishTables } from '../../src/product/publish/tables.js';
import { dashboardFromTables } from '../../src/product/report/from-tables.js';
import { renderPages } from '../../src/product/report/pages.js';
import type { IsoDate } from '../../src/product/shared/dates.js';
import { provenanceFields } from '../../src/product/shared/provenance.js';
import { createWandbClient } from '../../src/product/wandb/client.js';
import { type LocalWandb, startLocalWandb } from '../../src/world/local-wandb/listen.js';
import type { SeedInput } from '../../src/world/local-wandb/seeding/read-seed.js';
import { makeConfig, makeRunDay } from '../helpers/builders.js';
import { createMemoryLogger, testProvenance } from '../helpers/fakes.js';
import { ensureConformanceVenv } from './venv.js';

// 40 characters without a dash: wandb 0.30 rejects shorter keys.
const API_KEY = 'conformancekey00000000000000000000000000';
const ENTITY = 'conf-ent';
const SEEDED_EVENTS = [
  {
    _timestamp: 1730592900.5,
    _runtime: 0.5,
    _wandb: true,
    'system.gpu.0.gpu': 97,
    'system.gpu.0.memory': 40,
  },
  {
    _timestamp: 1730592930.5,
    _runtime: 30.5,
    _wandb: true,
    'system.gpu.0.gpu': 50,
    'system.gpu.0.memory': 41,
  },
];
const SEED: SeedInput = {
  entities: [{ name: ENTITY }],
  projects: [{ entity: ENTITY, name: 'seeded', createdAt: '2024-10-25T01:02:03' }],
  runs: [
    {
      entity: ENTITY,
      project: 'seeded',
      name: 's1s1s1s1',
      displayName: 'seeded-run',
      state: 'finished',
      tags: ['x'],
      host: 'node-01',
      createdAt: '2024-11-03T00:15:00',
      heartbeatAt: '2024-11-03T05:00:00',
      runInfo: { gpu: 'NVIDIA H100 80GB HBM3', gpuCount: 8, cpuCount: 96 },
      config: { num_nodes: { value: 2 } },
      summaryMetrics: {},
      systemMetrics: SEEDED_EVENTS,
    },
  ],
};

// The real Python SDK (wandb 0.30, wandb-core) writes and reads through the local server (docs/wandb-protocol.md §14).
describe('Python wandb SDK conformance', () => {
  let server: LocalWandb;
  let python: string;
  let work: string;
  const log = createMemoryLogger();
  beforeAll(async () => {
    const venv = ensureConformanceVenv(process.cwd());
    python = venv.python;
    console.log(`conformance venv ready in ${venv.seconds.toFixed(1)} s`);
    work = await mkdtemp(join(tmpdir(), 'conformance-'));
    const seed = join(work, 'seed.json');
    await writeFile(seed, JSON.stringify(SEED));
    server = await startLocalWandb({ dataDir: join(work, 'data'), apiKey: API_KEY, seed, log });
  });
  afterAll(async () => {
    await server?.close();
  });

  /** What the SDK needs to reach the local server and nothing else. */
  function sdkEnv(extra: Record<string, string>): Record<string, string> {
    const wandbDir = join(work, 'wandb');
    return {
      PATH: process.env.PATH ?? '',
      HOME: work,
      WANDB_BASE_URL: server.url,
      WANDB_API_KEY: API_KEY,
      WANDB_MODE: 'online',
      WANDB_SILENT: 'true',
      WANDB_DIR: wandbDir,
      WANDB_CONFIG_DIR: join(wandbDir, 'config'),
      WANDB_CACHE_DIR: join(wandbDir, 'cache'),
      WANDB_DATA_DIR: join(wandbDir, 'data'),
      WANDB_ARTIFACT_DIR: join(wandbDir, 'artifacts'),
      // Nothing may leave loopback: no git/code capture, no error reporting.
      WANDB_DISABLE_GIT: 'true',
      WANDB_DISABLE_CODE: 'true',
      WANDB_ERROR_REPORTING: 'false',
      ...extra,
    };
  }

  it('init/log/Table/alert/log_artifact/finish, then the public API reads back what was written', async () => {
    const env = sdkEnv({
      CONFORMANCE_ENTITY: ENTITY,
      CONFORMANCE_SEEDED_PROJECT: 'seeded',
      CONFORMANCE_SEEDED_RUN: 's1s1s1s1',
      CONFORMANCE_SEEDED_EVENTS: JSON.stringify(SEEDED_EVENTS),
    });
    const { code, output } = await runPython(python, [join('test', 'conformance', 'conformance.py')], env);
    console.log(output);
    expect(output).toMatch(/conformance: \d+ passed, 0 failed/);
    expect(code).toBe(0);
    // Every request wandb-core and the public API sent must have passed schema validation and succeeded.
    expect(log.events.filter((e) => e.level !== 'debug')).toEqual([]);
  });

  it('reads the dashboard pages our Tables runs log as W&B HTML media', async () => {
    // Published the way the job does: Tables and the pages of one target date.
    const config = makeConfig({
      companies: [
        { company: 'alpha', teams: ['alpha-team'], schedule: [{ date: '2024-11-01', assigned_gpu_node: 1 }] },
      ],
      dashboard: { entity: ENTITY, project: 'pages' },
    });
    const rows = [makeRunDay({ date: '2024-11-03', company_name: 'alpha-team', duration_hour: 6 })];
    const wandb = createWandbClient({ baseUrl: server.url, apiKey: API_KEY });
    await publishTables(
      calculateTables(rows, config, '2024-11-03' as IsoDate),
      config,
      '2024-11-03' as IsoDate,
      { wandb, log: createMemoryLogger() },
      {
        provenance: provenanceFields(
          testProvenance,
          { start: '2024-11-03' as IsoDate, end: '2024-11-03' as IsoDate },
          null,
        ),
        pages: (result, runIdOf) =>
          renderPages(
            dashboardFromTables({
              result,
              config,
              runIdOf,
              alerts: [],
              loggedAt: '2024-11-04T06:00:00.000000',
            }),
          ),
      },
    );
    const { code, output } = await runPython(
      python,
      [join('test', 'conformance', 'read-pages.py')],
      sdkEnv({ PAGES_PROJECT: `${ENTITY}/pages` }),
    );
    console.log(output);
    expect(output).toMatch(/pages: \d+ passed, 0 failed/);
    expect(code).toBe(0);
  });
});

function runPython(
  python: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(python, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('close', (code) => done({ code, output }));
  });
}
