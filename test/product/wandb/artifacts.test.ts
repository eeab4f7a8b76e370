import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactDigest, manifestJson } from '../../../src/product/shared/artifact-manifest.js';
import { md5Base64 } from '../../../src/product/shared/hash.js';
import {
  latestArtifactVersion,
  readArtifactFile,
  writeArtifact,
} from '../../../src/product/wandb/artifacts.js';
import { ArtifactIntegrityError } from '../../../src/product/wandb/errors.js';
import { createRun } from '../../../src/product/wandb/run-writer.js';
import { startSeeded, testClient } from '../../helpers/wandb.js';

const E = 'geniac';
const P = 'gpu-dashboard';
const ref = { entity: E, project: P, name: 'all_runs_data' };
const csv = (n: number) =>
  `date,company_name,run_id\n${Array.from({ length: n }, (_, i) => `2024-10-01,abeja,r${i}`).join('\n')}\n`;

// A version that keeps an earlier version's unchanged files (docs/wandb-protocol.md §17): the FULL
// manifest lists them with their digest, size and birthArtifactID, but they are neither sent to
// createArtifactFiles nor uploaded; only the changed file's bytes (and the manifest's) go up.
const monthly = { entity: E, project: P, name: 'monthly_data' };
const JAN = 'date,run_id\n2025-01-01,a\n2025-01-02,b\n';
const FEB = 'date,run_id\n2025-02-01,c\n';
const FEB2 = 'date,run_id\n2025-02-01,c\n2025-02-02,d\n';

describe('artifact digest', () => {
  it('matches the protocol worked example', () => {
    expect(artifactDigest([{ path: 'all_runs_data.csv', digest: 'I4HsUv3/rhcGlARcc/yRew==' }])).toBe(
      '5f179e246fd5e63509b353b21f6668a1',
    );
  });

  it('sorts entries by path and writes manifest v1', () => {
    const a = { path: 'a.csv', digest: md5Base64('a'), size: 1 };
    const b = { path: 'b.csv', digest: md5Base64('b'), size: 1, birthArtifactID: 'QXJ0' };
    expect(artifactDigest([b, a])).toBe(artifactDigest([a, b]));
    expect(JSON.parse(manifestJson([b, a]))).toEqual({
      version: 1,
      storagePolicy: 'wandb-storage-policy-v1',
      storagePolicyConfig: { storageLayout: 'V2' },
      contents: {
        'a.csv': { digest: a.digest, size: 1 },
        'b.csv': { digest: b.digest, size: 1, birthArtifactID: 'QXJ0' },
      },
    });
    expect(Object.keys(JSON.parse(manifestJson([b, a])).contents)).toEqual(['a.csv', 'b.csv']);
  });
});

describe('artifact write and read', () => {
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

  it('is undefined when the project or the artifact does not exist', async () => {
    const client = testClient(server.url);
    const file = 'all_runs_data.csv';
    expect(
      await readArtifactFile(client, { ...ref, project: 'nosuch', name: 'all_runs_data:latest', file }),
    ).toBeUndefined();
    expect(await readArtifactFile(client, { ...ref, name: 'all_runs_data:latest', file })).toBeUndefined();
    expect(await latestArtifactVersion(client, ref)).toBeUndefined();
  });

  it('round-trips bytes, increments versionIndex, moves latest and dedupes identical content', async () => {
    const client = testClient(server.url);
    const write = (body: string) =>
      writeArtifact(client, { ...ref, runId, type: 'dataset', files: [{ name: 'all_runs_data.csv', body }] });
    const read = (alias: string) =>
      readArtifactFile(client, { ...ref, name: `all_runs_data:${alias}`, file: 'all_runs_data.csv' });

    const v0 = await write(csv(2));
    expect(v0).toEqual({ id: expect.any(String), versionIndex: 0, state: 'COMMITTED', deduplicated: false });
    const counts = client.requestCounts();
    expect(counts).toEqual({
      CreateArtifact: 1,
      CreateArtifactManifest: 2,
      CreateArtifactFiles: 1,
      upload: 2,
      CommitArtifact: 1,
    });
    const first = await read('latest');
    expect(first?.body.toString()).toBe(csv(2));
    expect(first?.version).toEqual({
      id: v0.id,
      versionIndex: 0,
      digest: artifactDigest([{ path: 'all_runs_data.csv', digest: md5Base64(csv(2)) }]),
    });

    const v1 = await write(csv(3));
    expect(v1).toMatchObject({ versionIndex: 1, deduplicated: false });
    expect((await latestArtifactVersion(client, ref))?.id).toBe(v1.id);
    expect((await read('latest'))?.body.toString()).toBe(csv(3));
    expect((await read('v0'))?.body.toString()).toBe(csv(2));

    const again = await write(csv(3));
    expect(again).toEqual({ id: v1.id, versionIndex: 1, state: 'COMMITTED', deduplicated: true });
    expect(
      (await latestArtifactVersion(client, { ...ref, name: 'all_runs_data:latest' }))?.versionIndex,
    ).toBe(1);
  });

  it('extra aliases resolve too', async () => {
    const client = testClient(server.url);
    const body = csv(5);
    const written = await writeArtifact(client, {
      ...ref,
      runId,
      type: 'dataset',
      aliases: ['2024-10-05'],
      files: [{ name: 'all_runs_data.csv', body }],
    });
    const found = await readArtifactFile(client, {
      ...ref,
      name: 'all_runs_data:2024-10-05',
      file: 'all_runs_data.csv',
    });
    expect(found?.version.id).toBe(written.id);
  });

  it('fails closed when the downloaded bytes do not match the manifest digest', async () => {
    // Stand-in for corrupted storage: signed blob downloads come back altered.
    const corrupt: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input).includes('/_local/blobs/')) return res;
      const text = await res.text();
      return new Response(text.includes('"contents"') ? text : `${text}tampered`, { status: res.status });
    };
    const client = testClient(server.url, { fetch: corrupt });
    const error = await readArtifactFile(client, {
      ...ref,
      name: 'all_runs_data:latest',
      file: 'all_runs_data.csv',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactIntegrityError);
  });

  it('a file missing from the manifest is an error, not undefined', async () => {
    const client = testClient(server.url);
    await expect(
      readArtifactFile(client, { ...ref, name: 'all_runs_data:latest', file: 'other.csv' }),
    ).rejects.toThrow(/has no file other\.csv/);
  });

  it('writes survive injected faults', async () => {
    const faulty = await startSeeded(
      { entities: [{ name: E }], projects: [{ entity: E, name: P }] },
      { faultRate: 0.3, faultSeed: 11 },
    );
    try {
      const client = testClient(faulty.url, { maxRetries: 10 });
      await createRun(client, { entity: E, project: P, runId: 'upd00002', displayName: 'Update', tags: [] });
      for (let n = 1; n <= 4; n += 1) {
        const w = await writeArtifact(client, {
          ...ref,
          runId: 'upd00002',
          type: 'dataset',
          files: [{ name: 'all_runs_data.csv', body: csv(n) }],
        });
        expect(w.versionIndex).toBe(n - 1);
        expect(
          (
            await readArtifactFile(client, {
              ...ref,
              name: 'all_runs_data:latest',
              file: 'all_runs_data.csv',
            })
          )?.body.toString(),
        ).toBe(csv(n));
      }
      expect(client.requestCounts()).toEqual(faulty.stats().requests);
      expect(faulty.stats().faultsInjected).toBeGreaterThan(0);
    } finally {
      await faulty.close();
    }
  });

  it('uploads only the changed file and reads every file back', async () => {
    const client = testClient(server.url);
    const v0 = await writeArtifact(client, {
      ...monthly,
      runId,
      type: 'dataset',
      files: [
        { name: '2025-01.csv', body: JAN },
        { name: '2025-02.csv', body: FEB },
      ],
    });
    const before = server.stats();
    const v1 = await writeArtifact(client, {
      ...monthly,
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
      (await readArtifactFile(client, { ...monthly, name: 'monthly_data:latest', file }))?.body.toString(
        'utf8',
      );
    expect(await read('2025-01.csv')).toBe(JAN);
    expect(await read('2025-02.csv')).toBe(FEB2);
  });
});
