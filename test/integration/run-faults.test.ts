import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { CANARY, CONFIG, runWorldJob, SEED } from '../helpers/job-world.js';
import { startTestServer, tempDir } from '../helpers/local-wandb.js';

const OUT_FILES = ['dataset.csv', 'daily.csv', 'weekly.csv', 'monthly.csv', 'overall.csv', 'summary.csv'];

describe('run against a server that fails 20 % of requests', () => {
  let dir: string;
  const servers: LocalWandb[] = [];
  beforeAll(async () => {
    dir = await tempDir('run-faults-');
    await writeFile(join(dir, 'config.yaml'), CONFIG);
    await writeFile(join(dir, 'seed.json'), JSON.stringify(SEED));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  async function runOn(faultRate: number, out: string) {
    const server = await startTestServer({
      apiKey: CANARY,
      seed: join(dir, 'seed.json'),
      faultRate,
      faultSeed: 20,
      retryAfterSeconds: 0,
    });
    servers.push(server);
    const result = await runWorldJob(dir, server.url, out);
    return { result, faults: server.stats() };
  }

  it('produces the same dataset and tables as a fault-free run', async () => {
    const clean = await runOn(0, 'clean');
    const faulty = await runOn(0.2, 'faulty');
    expect(clean.result.code, clean.result.stderr).toBe(0);
    expect(faulty.result.code, faulty.result.stderr).toBe(0);
    expect(JSON.stringify(faulty.faults)).not.toBe(JSON.stringify(clean.faults));
    for (const name of OUT_FILES) {
      expect(await readFile(join(dir, 'faulty', name), 'utf8'), name).toBe(
        await readFile(join(dir, 'clean', name), 'utf8'),
      );
    }
  }, 120_000);
});
