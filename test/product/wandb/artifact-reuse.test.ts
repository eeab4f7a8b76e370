// A version that keeps an earlier version's unchanged files (docs/wandb-protocol.md §17): the FULL
// manifest lists them with their digest, size and birthArtifactID, but they are neither sent to
// createArtifactFiles nor uploaded; only the changed file's bytes (and the manifest's) go up, and
// every file of the new version still reads back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { md5Base64 } from '../../../src/product/shared/hash.js';
import { readArtifactFile, writeArtifact } from '../../../src/product/wandb/artifacts.js';
import { createRun } from '../../../src/product/wandb/run-writer.js';
import { startSeeded, testClient } from '../../helpers/wandb.js';

const E = 'geniac';
const P = 'gpu-dashboard';
const ref = { entity: E, project: P, name: 'all_runs_data' };
const JAN = 'date,run_id\n2025-01-01,a\n2025-01-02,b\n';
const FEB = 'date,run_id\n2025-02-01,c\n';
const FEB2 = 'date,run_id\n2025-02-01,c\n2025-02-02,d\n';

describe('an artifact version that reuses unchanged files', () => {
  let server: Awaited<ReturnType<typeof startSeeded>>;
  let runId: string;
  beforeAll(async () => {
    server = await startSeeded({ entities: [{ name: E }], projects: [{ entity: E, name: P }] });
    runId = (
      await createRun(testClient(server.url), {
        entity: E,
        project: P,
        runId: 'upd00001',
        displayName: 'Update',
        tags: [],
      })
    ).runId;
  });
  afterAll(() => server.close());

  it('uploads only the changed file and reads every file back', async () => {
    const client = testClient(server.url);
    const v0 = await writeArtifact(client, {
      ...ref,
      runId,
      type: 'dataset',
      files: [
        { name: '2025-01.csv', body: JAN },
        { name: '2025-02.csv', body: FEB },
      ],
    });
    const before = server.stats();
    const v1 = await writeArtifact(client, {
      ...ref,
      runId,
      type: 'dataset',
      files: [{ name: '2025-02.csv', body: FEB2 }],
      reused: [{ path: '2025-01.csv', digest: md5Base64(JAN), size: JAN.length, birthArtifactID: v0.id }],
    });
    const after = server.stats();
    expect(v1.versionIndex).toBe(1);
    const uploads = (after.requests.upload ?? 0) - (before.requests.upload ?? 0);
    const uploaded =
      (after.bytesReceivedByOperation.upload ?? 0) - (before.bytesReceivedByOperation.upload ?? 0);
    // The changed month and the manifest: January's bytes are not sent again.
    expect(uploads).toBe(2);
    expect(uploaded).toBeLessThan(FEB2.length + 1_000);
    expect(uploaded).toBeGreaterThanOrEqual(FEB2.length);
    const read = async (file: string) =>
      (await readArtifactFile(client, { ...ref, name: 'all_runs_data:latest', file }))?.body.toString('utf8');
    expect(await read('2025-01.csv')).toBe(JAN);
    expect(await read('2025-02.csv')).toBe(FEB2);
  });
});
