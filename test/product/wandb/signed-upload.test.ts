import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArtifactFile, writeArtifact } from '../../../src/product/wandb/artifacts.js';
import { WandbResponseError } from '../../../src/product/wandb/errors.js';
import { createRun, uploadRunFiles } from '../../../src/product/wandb/run-writer.js';
import { resolveUploadUrl } from '../../../src/product/wandb/signed-upload.js';
import type { UploadReceipt } from '../../../src/world/local-wandb/files/upload-targets.js';
import { basicAuth } from '../../helpers/local-wandb.js';
import { startSeeded, testClient } from '../../helpers/wandb.js';

const E = 'team';
const P = 'board';
// What a signed URL may demand; one value holds a colon (split on the first one only).
const UPLOAD_HEADERS = ['X-Goog-Meta-Run:tables', 'X-Upload-Note:a:b'];
// Headers fetch itself puts on every request; anything else must come from uploadHeaders.
const TRANSPORT = /^(host|connection|content-length|accept|accept-.+|user-agent|sec-fetch-.+)$/;

type Server = Awaited<ReturnType<typeof startSeeded>>;

async function receipts(server: Server): Promise<UploadReceipt[]> {
  return (await (
    await fetch(`${server.url}/_local/uploads`, { headers: { Authorization: basicAuth() } })
  ).json()) as UploadReceipt[];
}

const ownHeaders = (receipt: UploadReceipt) =>
  Object.fromEntries(Object.entries(receipt.headers).filter(([name]) => !TRANSPORT.test(name)));

/** A run file (string body) and a dataset artifact (string CSV) written by the product's client. */
async function writeBoth(server: Server, runId: string) {
  const client = testClient(server.url);
  await createRun(client, { entity: E, project: P, runId, displayName: 'Tables_2025-01-09', tags: [] });
  const table = JSON.stringify({ columns: ['a'], data: [[1]] });
  await uploadRunFiles(client, { entity: E, project: P, run: runId }, [
    { name: 'media/table/t_0_abc.table.json', body: table },
  ]);
  const csv = `date,company_name\n2025-01-09,${runId}\n`;
  await writeArtifact(client, {
    entity: E,
    project: P,
    runId,
    name: 'all_runs_data',
    type: 'dataset',
    files: [{ name: 'all_runs_data.csv', body: csv }],
  });
  const read = await readArtifactFile(client, {
    entity: E,
    project: P,
    name: 'all_runs_data:latest',
    file: 'all_runs_data.csv',
  });
  const file = await client.graphql<{
    project: { run: { files: { edges: { node: { directUrl: string } }[] } } };
  }>(
    'RunFile',
    `query RunFile($e: String!, $p: String!, $r: String!) { project(name: $p, entityName: $e) {
      run(name: $r) { files(names: ["media/table/t_0_abc.table.json"]) { edges { node { directUrl } } } } } }`,
    { e: E, p: P, r: runId },
  );
  const stored = await client.download(file.project.run.files.edges[0]?.node.directUrl ?? '');
  return { table, csv, storedTable: String(stored), storedCsv: read ? String(read.body) : undefined };
}

describe('signed uploads as W&B clients send them', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startSeeded({ entities: [{ name: E }] }, { uploadHeaders: UPLOAD_HEADERS });
  });
  afterAll(() => server.close());

  it('PUT run files, artifact files and the manifest with exactly the uploadHeaders, no Content-Type', async () => {
    const { table, csv, storedTable, storedCsv } = await writeBoth(server, 'upl00001');
    expect(storedTable).toBe(table);
    expect(storedCsv).toBe(csv);
    const got = await receipts(server);
    expect(got.map((r) => r.target.kind)).toEqual(['run-file', 'artifact-file', 'manifest']);
    for (const receipt of got) {
      expect(receipt.headers).not.toHaveProperty('content-type');
      expect(receipt.headers).not.toHaveProperty('authorization');
      expect(ownHeaders(receipt)).toEqual({ 'x-goog-meta-run': 'tables', 'x-upload-note': 'a:b' });
    }
  });
});

describe('relative upload URLs', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startSeeded({ entities: [{ name: E }] }, { relativeUploadUrls: true });
  });
  afterAll(() => server.close());

  it('go to the W&B host, as the Python SDK resolves them', async () => {
    const { table, csv, storedTable, storedCsv } = await writeBoth(server, 'upl00002');
    expect(storedTable).toBe(table);
    expect(storedCsv).toBe(csv);
    const got = await receipts(server);
    expect(got.map((r) => r.target.kind)).toEqual(['run-file', 'artifact-file', 'manifest']);
    for (const receipt of got) expect(ownHeaders(receipt)).toEqual({});
  });
});

describe('resolveUploadUrl', () => {
  it('appends a path to the base URL, keeping the base path, and leaves absolute URLs alone', () => {
    expect(resolveUploadUrl('https://wandb.example.com/api', '/storage/x?sig=1')).toBe(
      'https://wandb.example.com/api/storage/x?sig=1',
    );
    expect(resolveUploadUrl('https://api.wandb.ai', 'https://storage.googleapis.com/b/o?X-Goog=1')).toBe(
      'https://storage.googleapis.com/b/o?X-Goog=1',
    );
  });

  it.each(['storage/x', 'ftp://host/x', ''])('refuses %j', (url) => {
    expect(() => resolveUploadUrl('https://api.wandb.ai', url)).toThrow(WandbResponseError);
  });
});
