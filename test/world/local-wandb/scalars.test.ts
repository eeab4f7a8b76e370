import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GqlResponse, gql, gqlData, startTestServer, UPSERT_BUCKET } from '../../helpers/local-wandb.js';

// Inputs W&B refuses, sent over HTTP: a client that drifts into sending one of them fails here, as it
// would against api.wandb.ai, instead of passing against a lenient test server.

type Server = Awaited<ReturnType<typeof startTestServer>>;

const RUNS = `query Runs($project: String!, $entity: String!, $filters: JSONString) {
  project(name: $project, entityName: $entity) { runs(filters: $filters, first: 10) { edges { node { name } } } } }`;

const ALERT = `mutation NotifyScriptableRunAlert($entityName: String!, $projectName: String!, $runName: String!,
    $title: String!, $text: String!, $severity: AlertSeverity = INFO, $waitDuration: Duration) {
  notifyScriptableRunAlert(input: {entityName: $entityName, projectName: $projectName, runName: $runName,
    title: $title, text: $text, severity: $severity, waitDuration: $waitDuration}) { success } }`;

/** A 400 with GraphQL errors and no data: the variable or the document was refused before execution. */
function expectRefused(res: GqlResponse, message: RegExp): void {
  expect(res.status).toBe(400);
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors?.map((e) => e.message).join('\n')).toMatch(message);
}

describe('local W&B: scalars and required fields refuse what W&B refuses', () => {
  let server: Server;
  let alertNo = 0;
  beforeAll(async () => {
    server = await startTestServer();
    await gqlData(server.url, UPSERT_BUCKET, {
      name: 'scal0001',
      project: 'p',
      entity: 'local',
      tags: ['x'],
    });
  });
  afterAll(async () => server.close());

  const alert = (waitDuration: unknown) =>
    gql(server.url, ALERT, {
      entityName: 'local',
      projectName: 'p',
      runName: 'scal0001',
      title: `Scalar check ${++alertNo}`,
      text: 't',
      waitDuration,
    });

  it('JSONString takes a string holding JSON', async () => {
    const ok = await gql(server.url, RUNS, {
      project: 'p',
      entity: 'local',
      filters: JSON.stringify({ tags: { $in: ['x'] } }),
    });
    expect(ok.status).toBe(200);
    expect(ok.body.data).toEqual({ project: { runs: { edges: [{ node: { name: 'scal0001' } }] } } });
  });

  it('JSONString refuses an object, as a variable and as a literal', async () => {
    expectRefused(
      await gql(server.url, RUNS, { project: 'p', entity: 'local', filters: { tags: { $in: ['x'] } } }),
      /Variable "\$filters" got invalid value .*JSONString cannot represent a non-string value/,
    );
    expectRefused(
      await gql(
        server.url,
        `{ project(name: "p", entityName: "local") { runs(filters: {tags: "x"}) { edges { cursor } } } }`,
      ),
      /Expected value of type "JSONString", found \{tags: "x"\}/,
    );
    expectRefused(
      await gql(server.url, UPSERT_BUCKET, {
        name: 'scal0001',
        project: 'p',
        entity: 'local',
        config: { a: 1 },
      }),
      /Variable "\$config" got invalid value/,
    );
  });

  it('Duration takes integer milliseconds only', async () => {
    expect((await alert(60_000)).body).toEqual({ data: { notifyScriptableRunAlert: { success: true } } });
    expectRefused(
      await alert(1.5),
      /Variable "\$waitDuration" got invalid value 1.5.*Duration cannot represent/,
    );
    expectRefused(await alert('60000'), /Variable "\$waitDuration" got invalid value "60000"/);
    expectRefused(
      await gql(
        server.url,
        `mutation { notifyScriptableRunAlert(input: {entityName: "local", projectName: "p", runName: "scal0001",
          title: "t", text: "t", waitDuration: 1.5}) { success } }`,
      ),
      /Expected value of type "Duration", found 1.5/,
    );
  });

  it('a required input field given null is refused', async () => {
    expectRefused(
      await gql(
        server.url,
        'mutation CA($input: CreateArtifactInput!) { createArtifact(input: $input) { artifact { id } } }',
        {
          input: {
            entityName: 'local',
            projectName: 'p',
            artifactTypeName: 'dataset',
            artifactCollectionName: 'd',
            digestAlgorithm: 'MANIFEST_MD5',
            digest: null,
          },
        },
      ),
      /at "input.digest"; Expected non-nullable type "String!" not to be null/,
    );
    expectRefused(
      await gql(
        server.url,
        'mutation CF($input: CreateArtifactFilesInput!) { createArtifactFiles(input: $input) { files { edges { cursor } } } }',
        { input: { artifactFiles: [], storageLayout: null } },
      ),
      /at "input.storageLayout"; Expected non-nullable type "ArtifactStorageLayout!" not to be null/,
    );
    expectRefused(
      await gql(
        server.url,
        `mutation CM($input: CreateArtifactManifestInput!) { createArtifactManifest(input: $input) { artifactManifest { id } } }`,
        {
          input: {
            artifactID: 'QXJ0aWZhY3Q6MQ==',
            name: 'wandb_manifest.json',
            digest: '',
            entityName: 'local',
            projectName: 'p',
            runName: 'scal0001',
            type: null,
          },
        },
      ),
      /at "input.type"; Expected non-nullable type "ArtifactManifestType!" not to be null/,
    );
    expectRefused(
      await gql(server.url, ALERT.replace('$title: String!', '$title: String'), {
        entityName: 'local',
        projectName: 'p',
        runName: 'scal0001',
        title: null,
        text: 't',
      }),
      /Variable "\$title" of type "String" used in position expecting type "String!"/,
    );
  });
});
