import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, gqlData, startTestServer, UPSERT_BUCKET } from '../../helpers/local-wandb.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const CREATE_RUN_FILES = `mutation CreateRunFiles($entity: String!, $project: String!, $run: String!, $files: [String!]!) {
  createRunFiles(input: {entityName: $entity, projectName: $project, runName: $run, files: $files}) {
    runID uploadHeaders files { name uploadUrl } } }`;

type RunFiles = { createRunFiles: { uploadHeaders: string[]; files: { name: string; uploadUrl: string }[] } };

// The upload modes a test can ask for: the headers a signed URL demands, and paths instead of URLs.
describe('local W&B: upload URLs with headers, relative', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer({
      uploadHeaders: ['Content-MD5:xC+6Uqhk2/HncqXNfShhPg==', 'X-Note:a:b'],
      relativeUploadUrls: true,
    });
    await gqlData(server.url, UPSERT_BUCKET, { name: 'upl00001', project: 'p', entity: 'local' });
  });
  afterAll(async () => server.close());

  it('hands out paths with the configured uploadHeaders and records what each PUT carried', async () => {
    const created = await gqlData<RunFiles>(server.url, CREATE_RUN_FILES, {
      entity: 'local',
      project: 'p',
      run: 'upl00001',
      files: ['media/table/t.table.json'],
    });
    const { uploadHeaders, files } = created.createRunFiles;
    expect(uploadHeaders).toEqual(['Content-MD5:xC+6Uqhk2/HncqXNfShhPg==', 'X-Note:a:b']);
    const path = files[0]?.uploadUrl ?? '';
    expect(path).toMatch(/^\/_local\/upload\/[0-9a-f]{32}\?signature=[\w-]{43}$/);

    const body = '{"columns":["a"],"data":[[1]]}';
    const put = await fetch(`${server.url}${path}`, {
      method: 'PUT',
      headers: { 'Content-MD5': 'xC+6Uqhk2/HncqXNfShhPg==', 'X-Note': 'a:b' },
      body, // a string: fetch adds Content-Type, and the receipt shows it
    });
    expect(put.status).toBe(200);
    const receipts = (await (
      await fetch(`${server.url}/_local/uploads`, { headers: { Authorization: basicAuth() } })
    ).json()) as unknown[];
    expect(receipts).toEqual([
      {
        target: {
          kind: 'run-file',
          entity: 'local',
          project: 'p',
          run: 'upl00001',
          name: 'media/table/t.table.json',
        },
        headers: expect.objectContaining({
          'content-md5': 'xC+6Uqhk2/HncqXNfShhPg==',
          'x-note': 'a:b',
          'content-type': 'text/plain;charset=UTF-8',
        }),
      },
    ]);
  });
});
