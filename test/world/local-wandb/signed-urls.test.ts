import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedInput } from '../../../src/world/local-wandb/seeding/read-seed.js';
import { basicAuth, gqlData, startTestServer, tempDir } from '../../helpers/local-wandb.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const FILE_BODY = '{"columns":["a"],"data":[[1]]}';
const CSV = 'a,b\n1,2\n';
const SEED: SeedInput = {
  entities: [{ name: 'local' }],
  runs: [
    {
      entity: 'local',
      project: 'p',
      name: 'run00001',
      createdAt: '2024-11-03T00:00:00',
      heartbeatAt: '2024-11-03T01:00:00',
    },
  ],
  artifacts: [{ entity: 'local', project: 'p', name: 'data', type: 'dataset', files: { 'data.csv': CSV } }],
};

const CREATE_RUN_FILES = `mutation CreateRunFiles($files: [String!]!) {
  createRunFiles(input: {entityName: "local", projectName: "p", runName: "run00001", files: $files}) {
    files { name uploadUrl } } }`;
const RUN_FILES = `query RunFiles($names: [String]) { project(name: "p", entityName: "local") {
  run(name: "run00001") { files(names: $names, first: 10) { edges { node { name url directUrl } } } } } }`;
const ARTIFACT = `{ project(name: "p", entityName: "local") { artifact(name: "data:latest") {
  currentManifest { file { directUrl } } files(first: 10) { edges { node { name directUrl } } } } } }`;

type RunFiles = { project: { run: { files: { edges: { node: { url: string; directUrl: string } }[] } } } };
type Artifact = {
  project: {
    artifact: {
      currentManifest: { file: { directUrl: string } };
      files: { edges: { node: { directUrl: string } }[] };
    };
  };
};

const md5Hex = (text: string) => createHash('md5').update(text).digest('hex');
/** The URL with its signature's last character changed. */
const tamper = (url: string) => url.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
const withoutQuery = (url: string) => url.split('?')[0] ?? url;
const status = async (url: string, init: RequestInit = {}) => (await fetch(url, init)).status;

// docs/behaviour.md §10: every route answers 401 without the key, except the signed URLs the server
// handed out, which W&B clients open without it (docs/wandb-protocol.md §1.2).
describe('local W&B: the key on every route, signed URLs without it', () => {
  let server: Server;
  let uploadUrl: string;
  let runFileDirectUrl: string;
  let manifestUrl: string;
  let artifactFileUrl: string;

  beforeAll(async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'seed.json'), JSON.stringify(SEED));
    server = await startTestServer({ seed: join(dir, 'seed.json') });
    const created = await gqlData<{ createRunFiles: { files: { uploadUrl: string }[] } }>(
      server.url,
      CREATE_RUN_FILES,
      { files: ['media/table/t.table.json'] },
    );
    uploadUrl = created.createRunFiles.files[0]?.uploadUrl ?? '';
    // The signed upload URL takes the PUT without the key, as a storage URL does.
    expect(await status(uploadUrl, { method: 'PUT', body: Buffer.from(FILE_BODY) })).toBe(200);
    const files = await gqlData<RunFiles>(server.url, RUN_FILES, { names: ['media/table/t.table.json'] });
    runFileDirectUrl = files.project.run.files.edges[0]?.node.directUrl ?? '';
    const artifact = await gqlData<Artifact>(server.url, ARTIFACT);
    manifestUrl = artifact.project.artifact.currentManifest.file.directUrl;
    artifactFileUrl = artifact.project.artifact.files.edges[0]?.node.directUrl ?? '';
  });
  afterAll(async () => server.close());

  it.each([
    ['GET', '/_local/stats'],
    ['GET', '/_local/alerts'],
    ['GET', '/_local/uploads'],
    ['GET', '/files/local/p/run00001/media/table/t.table.json'],
    ['GET', '/_local/files/local/p/run00001/media/table/t.table.json'],
    ['GET', `/_local/blobs/${md5Hex(CSV)}`],
    ['PUT', '/_local/upload/00000000000000000000000000000000'],
    ['POST', '/graphql'],
    ['POST', '/files/local/p/run00001/file_stream'],
    ['GET', '/no/such/route'],
  ])('answers %s %s without the key with 401', async (method, path) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      ...(method === 'GET' ? {} : { body: '{}' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="wandb"');
    expect(await res.json()).toEqual({ errors: [{ message: 'user is not logged in' }] });
  });

  it('answers the same routes with the key', async () => {
    const auth = { headers: { Authorization: basicAuth() } };
    expect(await status(`${server.url}/_local/stats`, auth)).toBe(200);
    expect(await status(`${server.url}/_local/uploads`, auth)).toBe(200);
    expect(await status(withoutQuery(runFileDirectUrl), auth)).toBe(200);
    expect(await status(withoutQuery(artifactFileUrl), auth)).toBe(200);
  });

  it('opens the run-file, manifest and artifact-file links it handed out without the key', async () => {
    expect(runFileDirectUrl).toMatch(
      /\/_local\/files\/local\/p\/run00001\/media\/table\/t\.table\.json\?signature=/,
    );
    expect(await (await fetch(runFileDirectUrl)).text()).toBe(FILE_BODY);
    const manifest = (await (await fetch(manifestUrl)).json()) as { contents: Record<string, unknown> };
    expect(Object.keys(manifest.contents)).toEqual(['data.csv']);
    expect(await (await fetch(artifactFileUrl)).text()).toBe(CSV);
  });

  it('refuses a tampered signature and a signature moved to another path with 403, a bare link with 401', async () => {
    for (const url of [runFileDirectUrl, manifestUrl, artifactFileUrl]) {
      expect(await status(tamper(url))).toBe(403);
      expect(await status(withoutQuery(url))).toBe(401);
    }
    // The manifest's signature does not open the file's blob, nor another file of the run.
    const [, signature] = manifestUrl.split('?');
    expect(await status(`${withoutQuery(artifactFileUrl)}?${signature}`)).toBe(403);
    const [runFilePath, runFileSignature] = runFileDirectUrl.split('?');
    expect(await status(`${runFilePath?.replace('t.table.json', 'u.table.json')}?${runFileSignature}`)).toBe(
      403,
    );
    expect(await status(tamper(uploadUrl), { method: 'PUT', body: 'other' })).toBe(403);
    expect(await status(withoutQuery(uploadUrl), { method: 'PUT', body: 'other' })).toBe(401);
    expect(await (await fetch(runFileDirectUrl)).text()).toBe(FILE_BODY);
  });

  it('checks the signature of the decoded path, so a client re-encoding the URL keeps it valid', async () => {
    expect(await status(runFileDirectUrl.replace('t.table.json', 't%2Etable%2Ejson'))).toBe(200);
  });

  it('keeps its links valid across a restart over the same data dir (the demo prints one)', async () => {
    const again = await startTestServer({ dataDir: server.dataDir });
    try {
      const moved = runFileDirectUrl.replace(/^http:\/\/[^/]+/, again.url);
      expect(await (await fetch(moved)).text()).toBe(FILE_BODY);
    } finally {
      await again.close();
    }
  });
});
