// A typo in dataset.* must not start a new dataset of one night beside a dashboard that has history:
// no artifact at the configured path while the dashboard project holds Tables_* runs stops the job.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { CANARY, CONFIG, runWorldJob, SEED } from '../helpers/job-world.js';
import { startTestServer, tempDir } from '../helpers/local-wandb.js';

// W&B's writes: mutations (upsertBucket, createArtifact…, notifyScriptableRunAlert), uploads and the file stream.
const isWrite = (operation: string) =>
  /^(Upsert|Create|Commit|Notify|Use|Delete|Update|upload|file_stream)/.test(operation);

// A run the dashboard project already holds from an earlier night.
const TABLES_RUN = {
  entity: 'dash',
  project: 'board',
  name: 'tbl00001',
  displayName: 'Tables_2025-01-08',
  tags: ['overall', 'latest'],
  createdAt: '2025-01-09T00:30:00',
  heartbeatAt: '2025-01-09T00:31:00',
  runInfo: null,
};

describe('run: no dataset artifact at the configured path', () => {
  let dir: string;
  const servers: LocalWandb[] = [];
  beforeAll(async () => {
    dir = await tempDir('dataset-missing-');
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  async function runWith(config: string, seed: object) {
    await writeFile(join(dir, 'config.yaml'), config);
    await writeFile(join(dir, 'seed.json'), JSON.stringify(seed));
    const server = await startTestServer({ seed: join(dir, 'seed.json'), apiKey: CANARY });
    servers.push(server);
    const before = server.stats().requests;
    const result = await runWorldJob(dir, server.url, 'out');
    const after = server.stats().requests;
    const writes = Object.keys(after).filter((op) => isWrite(op) && after[op] !== before[op]);
    return { result, writes, requests: after };
  }

  it('exits 1 naming the path it looked for, with no publishing request, when the dashboard has Tables runs', async () => {
    const typo = CONFIG.replace('artifact_name: all_runs_data', 'artifact_name: all_run_data');
    const { result, writes } = await runWith(typo, { ...SEED, runs: [...SEED.runs, TABLES_RUN] });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('dash/board/all_run_data');
    expect(result.stderr).toContain('Tables_');
    expect(writes).toEqual([]);
  });

  it('starts an empty dataset and says so when the dashboard has no Tables runs either', async () => {
    const { result, requests } = await runWith(CONFIG, { ...SEED, artifacts: [] });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('"uploader.dataset_missing"');
    expect(result.stderr).toContain('dash/board/all_runs_data');
    expect(requests.CommitArtifact).toBe(1);
  });
});
