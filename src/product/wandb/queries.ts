// GraphQL documents of docs/wandb-protocol.md. They request only fields of the 2023 schema snapshot
// (@wandb/sdk 0.5.1 dist/gql/graphql.d.ts) plus createRunFiles (docs/wandb-protocol.md §8.1). The operation name of each
// document is the name the client counts requests under.

/** docs/wandb-protocol.md §3 */
export const PROJECTS = /* GraphQL */ `
  query Projects($entity: String, $cursor: String, $perPage: Int = 50) {
    models(entityName: $entity, after: $cursor, first: $perPage) {
      edges { cursor node { id name entityName createdAt } }
      pageInfo { endCursor hasNextPage }
    }
  }`;

const RUN_FIELDS = `id name displayName description state tags host createdAt updatedAt heartbeatAt
  runInfo { gpu gpuCount cpuCount } user { username } config summaryMetrics eventsLineCount`;

/** docs/wandb-protocol.md §4.1 */
export const RUNS = /* GraphQL */ `
  query Runs($project: String!, $entity: String!, $cursor: String, $perPage: Int = 50, $order: String,
      $filters: JSONString) {
    project(name: $project, entityName: $entity) {
      runs(filters: $filters, after: $cursor, first: $perPage, order: $order) {
        edges { cursor node { ${RUN_FIELDS} } }
        pageInfo { endCursor hasNextPage }
      }
    }
  }`;

/** docs/wandb-protocol.md §4.6, cut to what an existence check needs. */
export const RUN = /* GraphQL */ `
  query Run($project: String!, $entity: String!, $name: String!) {
    project(name: $project, entityName: $entity) { run(name: $name) { id name } }
  }`;

/** A run's files by name, with their download URLs (Python SDK `wandb/apis/public/files.py`). */
export const RUN_FILES = /* GraphQL */ `
  query RunFiles($project: String!, $entity: String!, $name: String!, $names: [String], $perPage: Int) {
    project(name: $project, entityName: $entity) {
      run(name: $name) { files(names: $names, first: $perPage) { edges { node { name url directUrl sizeBytes } } } }
    }
  }`;

/** docs/wandb-protocol.md §5.1 */
export const RUN_EVENTS = /* GraphQL */ `
  query RunFullHistory($project: String!, $entity: String!, $name: String!, $samples: Int) {
    project(name: $project, entityName: $entity) { run(name: $name) { events(samples: $samples) } }
  }`;

export const RUN_EVENTS_BATCH = 'RunEventsBatch';

/**
 * docs/wandb-protocol.md §5.4 over several projects: `qP: project(...)` aliases holding `rN: run(name: $nN)` fields, `groups[P]`
 * runs in project P (runs numbered across projects). Names go in as variables, never into the text.
 */
export function runEventsBatchQuery(groups: readonly number[]): string {
  let run = 0;
  const vars: string[] = [];
  const fields = groups.map((count, p) => {
    vars.push(`$e${p}: String!`, `$p${p}: String!`);
    const runs = Array.from({ length: count }, () => {
      vars.push(`$n${run}: String!`);
      return `r${run}: run(name: $n${run++}) { events(samples: $samples) }`;
    });
    return `q${p}: project(name: $p${p}, entityName: $e${p}) {\n      ${runs.join('\n      ')}\n    }`;
  });
  return `
  query ${RUN_EVENTS_BATCH}($samples: Int, ${vars.join(', ')}) {
    ${fields.join('\n    ')}
  }`;
}

export const ENTITY_PROJECTS = 'EntityProjects';

/** docs/wandb-protocol.md §3 for several entities: `qN: models(entityName: $eN, after: $cN)` aliases, each with its own cursor. */
export function entityProjectsQuery(count: number): string {
  const indexes = Array.from({ length: count }, (_, i) => i);
  const vars = indexes.map((i) => `$e${i}: String, $c${i}: String`).join(', ');
  const fields = indexes.map(
    (i) => `q${i}: models(entityName: $e${i}, after: $c${i}, first: $perPage) {
      edges { node { name createdAt } }
      pageInfo { endCursor hasNextPage }
    }`,
  );
  return `
  query ${ENTITY_PROJECTS}($perPage: Int, ${vars}) {
    ${fields.join('\n    ')}
  }`;
}

export const PROJECT_RUNS = 'ProjectRuns';

/** docs/wandb-protocol.md §4.1 for several projects: `qN: project(...) { runs(filters: $fN, after: $cN) }` aliases. */
export function projectRunsQuery(count: number): string {
  const indexes = Array.from({ length: count }, (_, i) => i);
  const vars = indexes
    .map((i) => `$e${i}: String!, $p${i}: String!, $f${i}: JSONString, $c${i}: String, $n${i}: Int`)
    .join(', ');
  const fields = indexes.map(
    (i) => `q${i}: project(name: $p${i}, entityName: $e${i}) {
      runs(filters: $f${i}, after: $c${i}, first: $n${i}, order: $order) {
        edges { node { ${RUN_FIELDS} } }
        pageInfo { endCursor hasNextPage }
      }
    }`,
  );
  return `
  query ${PROJECT_RUNS}($order: String, ${vars}) {
    ${fields.join('\n    ')}
  }`;
}

const BUCKET_FIELDS = 'id name displayName tags project { id name entity { id name } }';

/** docs/wandb-protocol.md §6.1, create (or resume) by (entity, project, run id). */
export const UPSERT_BUCKET = /* GraphQL */ `
  mutation UpsertBucket($name: String, $project: String, $entity: String, $displayName: String,
      $jobType: String, $tags: [String!], $config: JSONString) {
    upsertBucket(input: { name: $name, modelName: $project, entityName: $entity, displayName: $displayName,
        jobType: $jobType, tags: $tags, config: $config }) {
      bucket { ${BUCKET_FIELDS} }
      inserted
    }
  }`;

/** docs/wandb-protocol.md §6.3: only `{id, tags}`, so nothing else on the run changes. */
export const UPSERT_BUCKET_TAGS = /* GraphQL */ `
  mutation UpsertBucket($id: String!, $tags: [String!]) {
    upsertBucket(input: { id: $id, tags: $tags }) { bucket { id tags } }
  }`;

/** docs/wandb-protocol.md §8.1 (post-2023 mutation, required by the protocol). */
export const CREATE_RUN_FILES = /* GraphQL */ `
  mutation CreateRunFiles($entity: String!, $project: String!, $run: String!, $files: [String!]!) {
    createRunFiles(input: {entityName: $entity, projectName: $project, runName: $run, files: $files}) {
      runID uploadHeaders files { name uploadUrl }
    }
  }`;

/** docs/wandb-protocol.md §10 */
export const NOTIFY_ALERT = /* GraphQL */ `
  mutation NotifyScriptableRunAlert($entityName: String!, $projectName: String!, $runName: String!,
      $title: String!, $text: String!, $severity: AlertSeverity = INFO, $waitDuration: Duration) {
    notifyScriptableRunAlert(input: {entityName: $entityName, projectName: $projectName,
        runName: $runName, title: $title, text: $text, severity: $severity,
        waitDuration: $waitDuration}) { success }
  }`;

/** docs/wandb-protocol.md §11 step 1 */
export const CREATE_ARTIFACT = /* GraphQL */ `
  mutation CreateArtifact($input: CreateArtifactInput!) {
    createArtifact(input: $input) {
      artifact { id state digest versionIndex artifactSequence { id latestArtifact { id versionIndex } } }
    }
  }`;

/** docs/wandb-protocol.md §11 steps 2 and 5 */
export const CREATE_ARTIFACT_MANIFEST = /* GraphQL */ `
  mutation CreateArtifactManifest($artifactID: ID!, $baseArtifactID: ID, $name: String!, $digest: String!,
      $entityName: String!, $projectName: String!, $runName: String!, $includeUpload: Boolean!) {
    createArtifactManifest(input: {artifactID: $artifactID, baseArtifactID: $baseArtifactID, name: $name,
        digest: $digest, entityName: $entityName, projectName: $projectName, runName: $runName}) {
      artifactManifest {
        id file { id uploadUrl @include(if: $includeUpload) uploadHeaders @include(if: $includeUpload) }
      }
    }
  }`;

/** docs/wandb-protocol.md §11 step 3 */
export const CREATE_ARTIFACT_FILES = /* GraphQL */ `
  mutation CreateArtifactFiles($storageLayout: ArtifactStorageLayout!,
      $artifactFiles: [CreateArtifactFileSpecInput!]!) {
    createArtifactFiles(input: {artifactFiles: $artifactFiles, storageLayout: $storageLayout}) {
      files { edges { node { id name displayName uploadUrl uploadHeaders artifact { id } } } }
    }
  }`;

/** docs/wandb-protocol.md §11 step 6 */
export const COMMIT_ARTIFACT = /* GraphQL */ `
  mutation CommitArtifact($artifactID: ID!) {
    commitArtifact(input: {artifactID: $artifactID}) { artifact { id digest state versionIndex } }
  }`;

/** docs/wandb-protocol.md §12 step 1 */
export const ARTIFACT_BY_NAME = /* GraphQL */ `
  query ArtifactByName($entityName: String!, $projectName: String!, $name: String!) {
    project(name: $projectName, entityName: $entityName) {
      artifact(name: $name) {
        id versionIndex state digest fileCount createdAt
        artifactType { name }
        currentManifest { file { directUrl } }
      }
    }
  }`;

/** docs/wandb-protocol.md §12 step 1, cut to the version identity: the cheap check before committing a new version. */
export const ARTIFACT_VERSION = /* GraphQL */ `
  query ArtifactVersion($entityName: String!, $projectName: String!, $name: String!) {
    project(name: $projectName, entityName: $entityName) {
      artifact(name: $name) { id versionIndex state digest }
    }
  }`;

/** docs/wandb-protocol.md §12 step 3 */
export const ARTIFACT_FILE_URLS = /* GraphQL */ `
  query ArtifactFileURLs($id: ID!, $cursor: String, $perPage: Int) {
    artifact(id: $id) {
      files(after: $cursor, first: $perPage) {
        pageInfo { hasNextPage endCursor } edges { node { name directUrl } }
      }
    }
  }`;

/**
 * Reports (views of type "runs") of a project, by page: wandb/wandb wandb/apis/public/reports.py
 * `Reports.QUERY`, cut to what finding a report by title needs.
 */
export const PROJECT_VIEWS = /* GraphQL */ `
  query ProjectViews($project: String!, $entity: String!, $cursor: String, $perPage: Int = 50,
      $viewType: String = "runs") {
    project(name: $project, entityName: $entity) {
      allViews(viewType: $viewType, first: $perPage, after: $cursor) {
        edges { cursor node { id name displayName createdAt updatedAt } }
        pageInfo { endCursor hasNextPage }
      }
    }
  }`;

/** Create a view, or update it in place when `id` is given: wandb-workspaces reports/v2/gql.py `upsert_view`. */
export const UPSERT_VIEW = /* GraphQL */ `
  mutation UpsertView($id: ID, $entityName: String, $projectName: String, $type: String, $name: String,
      $displayName: String, $description: String, $spec: String!) {
    upsertView(input: { id: $id, entityName: $entityName, projectName: $projectName, name: $name,
        displayName: $displayName, description: $description, type: $type, createdUsing: WANDB_SDK,
        spec: $spec }) {
      view { id type name displayName description project { id name entityName } spec createdAt updatedAt }
      inserted
    }
  }`;

/** One view by id: wandb-workspaces reports/v2/gql.py `view_report` (what `Report.from_url` sends). */
export const VIEW = /* GraphQL */ `
  query SpecificReport($reportId: ID!) {
    view(id: $reportId) {
      id name displayName description project { id name entityName } createdAt updatedAt spec
    }
  }`;
