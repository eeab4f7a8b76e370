import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlData, startTestServer, tempDir, UPSERT_BUCKET } from '../../helpers/local-wandb.js';
import { fixture, writeSeed } from '../../helpers/seed-fixture.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

// Mutations as docs/wandb-protocol.md §11 gives them.
const CREATE_ARTIFACT = `mutation CreateArtifact($input: CreateArtifactInput!) {
  createArtifact(input: $input) { artifact { id state artifactSequence { id latestArtifact { id versionIndex } } } } }`;
const CREATE_MANIFEST = `mutation CreateArtifactManifest($artifactID: ID!, $baseArtifactID: ID, $name: String!, $digest: String!,
    $entityName: String!, $projectName: String!, $runName: String!, $includeUpload: Boolean!) {
  createArtifactManifest(input: {artifactID: $artifactID, baseArtifactID: $baseArtifactID, name: $name,
      digest: $digest, entityName: $entityName, projectName: $projectName, runName: $runName}) {
    artifactManifest { id file { id uploadUrl @include(if: $includeUpload) uploadHeaders @include(if: $includeUpload) } } } }`;
const CREATE_FILES = `mutation CreateArtifactFiles($storageLayout: ArtifactStorageLayout!, $artifactFiles: [CreateArtifactFileSpecInput!]!) {
  createArtifactFiles(input: {artifactFiles: $artifactFiles, storageLayout: $storageLayout}) {
    files { edges { node { id name displayName uploadUrl uploadHeaders artifact { id } } } } } }`;
const COMMIT = `mutation CommitArtifact($artifactID: ID!) { commitArtifact(input: {artifactID: $artifactID}) { artifact { id digest } } }`;

const b64md5 = (text: string) => createHash('md5').update(text).digest('base64');
/** Artifact digest per docs/wandb-protocol.md §11: hex MD5 of the header line plus `<path>:<b64 md5>` lines. */
const artifactDigest = (path: string, text: string) =>
  createHash('md5')
    .update(`wandb-artifact-manifest-v1\n${path}:${b64md5(text)}\n`)
    .digest('hex');

const METADATA = { product_version: '0.1.0', dataset_version_read: 1, image_digest: null };

type Resolved = {
  project: {
    artifact:
      | (Record<string, unknown> & { id: string; currentManifest: { file: { directUrl: string } } })
      | null;
  } | null;
};

describe('local W&B: artifacts', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer({ seed: await writeSeed(await tempDir()) });
  });
  afterAll(async () => {
    await server.close();
  });
  const resolve = (name: string, project = 'gpu-dashboard2') =>
    gqlData<Resolved>(server.url, fixture('artifact-by-name'), {
      entityName: 'geniac-gpu',
      projectName: project,
      name,
    });

  it('resolves seeded versions by :latest, :v0 and :v1 with the §12 fields', async () => {
    const latest = await resolve('all_runs_data:latest');
    expect(latest.project?.artifact).toEqual({
      id: expect.any(String),
      versionIndex: 1,
      state: 'COMMITTED',
      digest: artifactDigest('all_runs_data.csv', 'a,b\n1,2\n3,4\n'),
      fileCount: 1,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
      artifactType: { name: 'dataset' },
      artifactSequence: {
        name: 'all_runs_data',
        project: { entityName: 'geniac-gpu', name: 'gpu-dashboard2' },
      },
      aliases: [
        {
          alias: 'latest',
          artifactCollection: {
            name: 'all_runs_data',
            project: { entityName: 'geniac-gpu', name: 'gpu-dashboard2' },
          },
        },
      ],
      currentManifest: { file: { directUrl: expect.stringMatching(/^http:\/\//) } },
    });
    expect((await resolve('all_runs_data:v0')).project?.artifact?.versionIndex).toBe(0);
    expect((await resolve('all_runs_data:v1')).project?.artifact?.id).toBe(latest.project?.artifact?.id);
    expect((await resolve('all_runs_data:v7')).project?.artifact).toBeNull();
    expect((await resolve('nosuch:latest')).project?.artifact).toBeNull();
    expect((await resolve('all_runs_data:latest', 'nosuch')).project).toBeNull();
  });

  it('serves the manifest and file bytes at unauthenticated directUrls', async () => {
    const artifact = (await resolve('all_runs_data:v0')).project?.artifact;
    const manifest = (await (await fetch(artifact?.currentManifest.file.directUrl ?? '')).json()) as {
      contents: Record<string, { digest: string; size: number }>;
    };
    expect(manifest.contents['all_runs_data.csv']).toMatchObject({ digest: b64md5('a,b\n1,2\n'), size: 8 });
    const files = await gqlData<{
      artifact: {
        files: { pageInfo: { hasNextPage: boolean }; edges: { node: { name: string; directUrl: string } }[] };
      };
    }>(server.url, fixture('artifact-file-urls'), { id: artifact?.id, cursor: null, perPage: 50 });
    expect(files.artifact.files.pageInfo.hasNextPage).toBe(false);
    expect(files.artifact.files.edges.map((e) => e.node.name)).toEqual(['all_runs_data.csv']);
    expect(await (await fetch(files.artifact.files.edges[0]?.node.directUrl ?? '')).text()).toBe(
      'a,b\n1,2\n',
    );
  });

  it('writes a version with the §11 sequence and its metadata; latest moves at commit; same digest dedupes', async () => {
    const csv = 'date,company\n2024-11-03,a\n';
    await gqlData(server.url, UPSERT_BUCKET, {
      name: 'writer01',
      project: 'gpu-dashboard2',
      entity: 'geniac-gpu',
    });
    const input = {
      entityName: 'geniac-gpu',
      projectName: 'gpu-dashboard2',
      runName: 'writer01',
      artifactTypeName: 'dataset',
      artifactCollectionName: 'all_runs_data',
      digest: artifactDigest('all_runs_data.csv', csv),
      digestAlgorithm: 'MANIFEST_MD5',
      aliases: [{ artifactCollectionName: 'all_runs_data', alias: 'latest' }],
      clientID: 'c1',
      sequenceClientID: 's1',
      enableDigestDeduplication: true,
      metadata: JSON.stringify(METADATA),
      description: null,
    };
    type Created = {
      createArtifact: {
        artifact: {
          id: string;
          state: string;
          artifactSequence: { latestArtifact: { id: string; versionIndex: number } | null };
        };
      };
    };
    const created = await gqlData<Created>(server.url, CREATE_ARTIFACT, { input });
    expect(created.createArtifact.artifact.state).toBe('PENDING');
    expect(created.createArtifact.artifact.artifactSequence.latestArtifact?.versionIndex).toBe(1);
    const id = created.createArtifact.artifact.id;
    const common = {
      artifactID: id,
      baseArtifactID: created.createArtifact.artifact.artifactSequence.latestArtifact?.id,
      name: 'wandb_manifest.json',
      entityName: 'geniac-gpu',
      projectName: 'gpu-dashboard2',
      runName: 'writer01',
    };
    const placeholder = await gqlData<{
      createArtifactManifest: { artifactManifest: { id: string; file: Record<string, unknown> } };
    }>(server.url, CREATE_MANIFEST, { ...common, digest: '', includeUpload: false });
    expect(Object.keys(placeholder.createArtifactManifest.artifactManifest.file)).toEqual(['id']);
    const files = await gqlData<{
      createArtifactFiles: {
        files: { edges: { node: { name: string; uploadUrl: string | null; artifact: { id: string } } }[] };
      };
    }>(server.url, CREATE_FILES, {
      storageLayout: 'V2',
      artifactFiles: [
        {
          artifactID: id,
          artifactManifestID: placeholder.createArtifactManifest.artifactManifest.id,
          name: 'all_runs_data.csv',
          md5: b64md5(csv),
        },
      ],
    });
    const node = files.createArtifactFiles.files.edges[0]?.node;
    expect(node).toMatchObject({ name: 'all_runs_data.csv', artifact: { id } });
    expect((await fetch(node?.uploadUrl ?? '', { method: 'PUT', body: csv })).status).toBe(200);
    const manifest = JSON.stringify({
      version: 1,
      storagePolicy: 'wandb-storage-policy-v1',
      storagePolicyConfig: { storageLayout: 'V2' },
      contents: { 'all_runs_data.csv': { digest: b64md5(csv), size: csv.length } },
    });
    const real = await gqlData<{
      createArtifactManifest: { artifactManifest: { file: { uploadUrl: string; uploadHeaders: string[] } } };
    }>(server.url, CREATE_MANIFEST, { ...common, digest: b64md5(manifest), includeUpload: true });
    expect(real.createArtifactManifest.artifactManifest.file.uploadHeaders).toEqual([]);
    await fetch(real.createArtifactManifest.artifactManifest.file.uploadUrl, {
      method: 'PUT',
      body: manifest,
    });

    // Not committed yet: latest still points at v1.
    expect((await resolve('all_runs_data:latest')).project?.artifact?.versionIndex).toBe(1);
    const committed = await gqlData<{ commitArtifact: { artifact: { id: string; digest: string } } }>(
      server.url,
      COMMIT,
      { artifactID: id },
    );
    expect(committed.commitArtifact.artifact).toEqual({ id, digest: input.digest });
    const latest = await resolve('all_runs_data:latest');
    expect(latest.project?.artifact).toMatchObject({ id, versionIndex: 2 });
    // metadata comes back as the JSONString the writer sent (W&B's public API json-loads it).
    const withMetadata = await gqlData<{ project: { artifact: { metadata: string } } }>(
      server.url,
      `query ($e: String!, $p: String!, $n: String!) { project(name: $p, entityName: $e) { artifact(name: $n) { metadata } } }`,
      { e: 'geniac-gpu', p: 'gpu-dashboard2', n: 'all_runs_data:v2' },
    );
    expect(JSON.parse(withMetadata.project.artifact.metadata)).toEqual(METADATA);
    expect((await resolve('all_runs_data:v2')).project?.artifact?.id).toBe(id);
    const downloaded = await fetch(latest.project?.artifact?.currentManifest.file.directUrl ?? '');
    expect(await downloaded.text()).toBe(manifest);

    const again = await gqlData<Created>(server.url, CREATE_ARTIFACT, {
      input: { ...input, clientID: 'c2' },
    });
    expect(again.createArtifact.artifact).toMatchObject({ id, state: 'COMMITTED' });
    // A second file with already-stored bytes needs no upload.
    const dedupedFile = await gqlData<{
      createArtifactFiles: { files: { edges: { node: { uploadUrl: string | null } }[] } };
    }>(server.url, CREATE_FILES, {
      storageLayout: 'V2',
      artifactFiles: [{ artifactID: id, name: 'copy.csv', md5: b64md5(csv) }],
    });
    expect(dedupedFile.createArtifactFiles.files.edges[0]?.node.uploadUrl).toBeNull();
  });
});
