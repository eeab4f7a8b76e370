// Write side of W&B's GraphQL schema (payloads, inputs, enums), from the same source as schema-sdl-read.ts.
export const WRITE_SDL = /* GraphQL */ `
type CreateRunFilesPayload {
  clientMutationId: String
  runID: ID!
  uploadHeaders: [String!]!
  files: [RunFileUpload!]!
}

type RunFileUpload {
  name: String!
  uploadUrl: String
}

type UpsertBucketPayload {
  bucket: Run
  clientMutationId: String
  inserted: Boolean
  updateAvailable: Boolean
}

type NotifyScriptableRunAlertPayload {
  clientMutationId: String
  success: Boolean!
}

type CreateArtifactPayload {
  artifact: Artifact!
  clientMutationId: String
}

type CreateArtifactManifestPayload {
  artifactManifest: ArtifactManifest!
  clientMutationId: String
}

type CreateArtifactFilesPayload {
  clientMutationId: String
  files(after: String, before: String, first: Int, last: Int): FileConnection!
}

type CommitArtifactPayload {
  artifact: Artifact!
  clientMutationId: String
}

type UseArtifactPayload {
  artifact: Artifact!
  clientMutationId: String
  run: Run!
}

type UpdateArtifactManifestPayload {
  artifactManifest: ArtifactManifest!
  clientMutationId: String
}

type CreateArtifactTypePayload {
  artifactType: ArtifactType!
  clientMutationId: String
}

input CreateRunFilesInput {
  clientMutationId: String
  entityName: String!
  projectName: String!
  runName: String!
  files: [String!]!
}

input CommitArtifactInput {
  artifactID: ID!
  clientMutationId: String
}

input CreateArtifactInput {
  aliases: [ArtifactAliasInput!]
  artifactCollectionName: String
  artifactCollectionNames: [String!]
  artifactTypeName: String!
  clientID: ID
  clientMutationId: String
  description: String
  digest: String!
  digestAlgorithm: ArtifactDigestAlgorithm!
  distributedID: String
  enableDigestDeduplication: Boolean
  entityName: String!
  historyStep: Int64
  labels: JSONString
  metadata: JSONString
  projectName: String!
  runName: String
  sequenceClientID: ID
  # post-2023: sent by wandb-core 0.30 (conformance run)
  storageRegion: String
  ttlDurationSeconds: Int64
}

input CreateArtifactFilesInput {
  artifactFiles: [CreateArtifactFileSpecInput!]!
  clientMutationId: String
  cloudRegionID: ID
  # non-null with a default in the snapshot (\`storageLayout?: ArtifactStorageLayout\`, no InputMaybe);
  # the default's value is not in it: V1, the layout before V2 existed, is assumed
  storageLayout: ArtifactStorageLayout! = V1
}

input CreateArtifactManifestInput {
  artifactID: ID!
  baseArtifactID: ID
  clientMutationId: String
  digest: String!
  entityName: String!
  name: String!
  projectName: String!
  runName: String!
  # non-null with a default in the snapshot; wandb-core declares it \`ArtifactManifestType!\`
  # (wandb/wandb core/api/graphql/mutation_create_artifact_manifest.graphql)
  type: ArtifactManifestType! = FULL
}

input CreateArtifactTypeInput {
  clientMutationId: String
  description: String
  entityName: String!
  name: String!
  projectName: String!
}

input NotifyScriptableRunAlertInput {
  clientMutationId: String
  entityName: String!
  projectName: String!
  runName: String!
  severity: AlertSeverity
  text: String!
  title: String!
  waitDuration: Duration
}

input UpdateArtifactManifestInput {
  artifactManifestID: ID!
  baseArtifactID: ID
  clientMutationId: String
  digest: String
}

input UpsertBucketInput {
  clientMutationId: String
  commit: String
  config: JSONString
  debug: Boolean
  description: String
  displayName: String
  entityName: String
  framework: String
  groupName: String
  host: String
  id: String
  jobProgram: String
  jobRepo: String
  jobType: String
  modelName: String
  name: String
  notes: String
  runQueueItemId: ID
  state: String
  summaryMetrics: JSONString
  sweep: String
  tags: [String]
}

input UseArtifactInput {
  artifactID: ID!
  clientMutationId: String
  entityName: String!
  projectName: String!
  runName: String!
  usedAs: String
}

input ArtifactAliasInput {
  alias: String!
  artifactCollectionName: String!
}

input CreateArtifactFileSpecInput {
  artifactID: ID!
  artifactManifestID: ID
  md5: String!
  mimetype: String
  name: String!
  # post-2023: sent by wandb-core 0.30 (multipart uploads only)
  uploadPartsInput: [UploadPartsInput!]
}

input UploadPartsInput {
  hexMD5: String!
  partNumber: Int64!
}

enum ArtifactCollectionType {
  PORTFOLIO
  SEQUENCE
}

enum HistoryKeysFormat {
  BITMAP
  PLAINTEXT
}

enum DotBehavior {
  KEEP_ALL_DOT_VALUES
  SKIP_FIRST_DOT_VALUE
}

enum ArtifactState {
  COMMITTED
  DELETED
  PENDING
}

enum ArtifactCollectionState {
  DELETED
  READY
}

enum ArtifactManifestType {
  FULL
  INCREMENTAL
  PATCH
}

enum ArtifactDigestAlgorithm {
  MANIFEST_MD5
}

enum ArtifactStorageLayout {
  V1
  V2
}

enum AlertSeverity {
  ERROR
  INFO
  WARN
}
`;
