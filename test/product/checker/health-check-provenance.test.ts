// The `HealthCheck_<T>` run records the product version and the config's SHA-256 (docs/behaviour.md §12).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogSource } from '../../../src/product/checker/cloudwatch-log.js';
import { runCheck } from '../../../src/product/checker/run-check.js';
import type { CheckReport } from '../../../src/product/checker/types.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import { silentLogger } from '../../../src/product/shared/logger.js';
import type { Provenance } from '../../../src/product/shared/provenance.js';
import { createWandbClient } from '../../../src/product/wandb/client.js';
import { makeConfig } from '../../helpers/builders.js';
import { fixedClock } from '../../helpers/fakes.js';
import { API_KEY, gqlData, startTestServer } from '../../helpers/local-wandb.js';

const config = makeConfig({
  companies: [
    { company: 'alpha', teams: ['alpha-team'], schedule: [{ date: '2025-01-08', assigned_gpu_node: 1 }] },
  ],
  dashboard: { entity: 'dash', project: 'board' },
  dataset: { entity: 'dash', project: 'board' },
});
const provenance: Provenance = {
  productVersion: '9.8.7',
  configSha256: '5e'.repeat(32),
  imageDigest: `sha256:${'d1'.repeat(32)}`,
};

let server: Awaited<ReturnType<typeof startTestServer>>;
let report: CheckReport;
beforeAll(async () => {
  server = await startTestServer();
  // An empty project and job log: findings, so the check writes its run and alert.
  report = await runCheck(
    config,
    { date: '2025-01-09' as IsoDate, provenance },
    {
      wandb: createWandbClient({ baseUrl: server.url, apiKey: API_KEY, log: silentLogger }),
      jobLog: memoryLogSource('job log', []),
      clock: fixedClock('2025-01-10T03:00:00Z'),
      log: silentLogger,
    },
  );
});
afterAll(() => server?.close());

describe('runCheck with findings', () => {
  it('records the product version, config SHA-256 and image digest in the HealthCheck run config', async () => {
    expect(report.healthy).toBe(false);
    expect(report.alert.wandb).toBe(true);
    const data = await gqlData<{
      project: { runs: { edges: { node: { displayName: string; config: string } }[] } };
    }>(
      server.url,
      `{ project(name: "board", entityName: "dash") { runs(first: 10) { edges { node { displayName config } } } } }`,
    );
    const runs = data.project.runs.edges.map((e) => e.node);
    expect(runs.map((r) => r.displayName)).toEqual(['HealthCheck_2025-01-09']);
    expect(JSON.parse(runs[0]!.config)).toEqual({
      product_version: { value: '9.8.7' },
      config_sha256: { value: '5e'.repeat(32) },
      image_digest: { value: `sha256:${'d1'.repeat(32)}` },
    });
  });
});
