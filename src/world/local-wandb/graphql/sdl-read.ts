// Read side of W&B's GraphQL schema: the types, fields, arguments and nullability copied from
// @wandb/sdk 0.5.1 dist/gql/graphql.d.ts (generated from api.wandb.ai, ~May 2023) for the subset we serve.
// Fields marked post-2023 are the ones newer clients need (docs/wandb-protocol.md §0).
export const READ_SDL = /* GraphQL */ `
scalar DateTime
scalar Duration
scalar Int64
scalar JSON
scalar JSONString

type Query {
  artifact(id: ID!): Artifact
  entity(login: Boolean, name: String): Entity
  model(entityName: String, name: String): Project
  models(after: String, batchSize: Int, before: String, entityName: String, first: Int, keysOnly: Boolean, last: Int, pageSize: Int): ProjectConnection
  project(entityName: String, name: String): Project
  projects(after: String, anonymous: Boolean, before: String, entityName: String, first: Int, last: Int, order: String): ProjectConnection
  serverInfo: ServerInfo
  viewer(entityName: String): User
}

type Mutation {
  commitArtifact(input: CommitArtifactInput!): CommitArtifactPayload
  createArtifact(input: CreateArtifactInput!): CreateArtifactPayload
  createArtifactFiles(input: CreateArtifactFilesInput!): CreateArtifactFilesPayload
  createArtifactManifest(input: CreateArtifactManifestInput!): CreateArtifactManifestPayload
  createArtifactType(input: CreateArtifactTypeInput!): CreateArtifactTypePayload
  notifyScriptableRunAlert(input: NotifyScriptableRunAlertInput!): NotifyScriptableRunAlertPayload
  updateArtifactManifest(input: UpdateArtifactManifestInput!): UpdateArtifactManifestPayload
  upsertBucket(input: UpsertBucketInput!): UpsertBucketPayload
  # post-2023: run file uploads (docs/wandb-protocol.md §8.1)
  createRunFiles(input: CreateRunFilesInput!): CreateRunFilesPayload
  useArtifact(input: UseArtifactInput!): UseArtifactPayload
}

type User {
  admin: Boolean
  apiKeys: ApiKeyConnection
  deletedAt: DateTime
  defaultEntity: Entity
  email: String
  entity: String
  flags: JSONString
  id: ID!
  name: String!
  teams(after: String, before: String, first: Int, last: Int): EntityConnection
  userEntity: Entity
  username: String
}

type EntityConnection {
  edges: [EntityEdge!]!
}

type EntityEdge {
  cursor: String!
  node: Entity
}

type Entity {
  createdAt: DateTime!
  id: ID!
  isTeam: Boolean!
  name: String!
  organization: Organization
  projects(after: String, before: String, first: Int, last: Int, order: String): ProjectConnection
}

type Organization {
  id: ID!
  name: String!
  # post-2023: asked by wandb-core 0.30 (OrganizationCoreWeaveOrganizationID)
  coreWeaveOrganizationId: String
}

type ApiKeyConnection {
  edges: [ApiKeyEdge!]!
  pageInfo: PageInfo!
}

type ApiKeyEdge {
  cursor: String!
  node: ApiKey
}

type ApiKey {
  description: String
  id: ID!
  ips: [String!]!
  name: String!
  rateLimit: String
}

type ProjectConnection {
  edges: [ProjectEdge!]!
  pageInfo: PageInfo!
}

type ProjectEdge {
  cursor: String!
  node: Project
}

type PageInfo {
  endCursor: String
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
}

type Project {
  artifact(name: String!): Artifact
  # post-2023: how the 0.30 public API resolves "coll:alias" (docs/wandb-protocol.md §12)
  artifactCollectionMembership(name: String!): ArtifactCollectionMembership
  artifactCollection(name: String!): ArtifactCollection
  artifactCollections(after: String, before: String, collectionTypes: [ArtifactCollectionType!], first: Int, last: Int, order: String): ArtifactCollectionConnection
  artifactType(name: String!): ArtifactType
  bucket(desc: String, missingOk: Boolean, name: String!): Run
  createdAt: DateTime!
  description: String
  entity: Entity!
  entityName: String!
  id: ID!
  # post-2023: sent by wandb-core and the 0.30 public API (docs/wandb-protocol.md §4.1)
  internalId: ID!
  isBenchmark: Boolean!
  name: String!
  readOnly: Boolean
  run(desc: String, name: String!): Run
  runCount(filters: JSONString): Int!
  runs(after: String, before: String, fields: [String], filters: JSONString, first: Int, groupKeys: [String], groupLevel: Int, historyFields: [String], jobKey: String, last: Int, names: [String], order: String): RunConnection
  totalRuns: Int
  updatedAt: DateTime
  user: User
}

type RunConnection {
  edges: [RunEdge!]!
  historyKeys(format: HistoryKeysFormat): JSON
  pageInfo: PageInfo!
  paths: JSONString
  totalCount: Int!
}

type RunEdge {
  cursor: String!
  node: Run!
}

type Run {
  commit: String
  config(dotBehavior: DotBehavior, keys: [String!]): JSONString
  createdAt: DateTime!
  debug: Boolean
  description: String
  displayName: String
  events(samples: Int): [String!]!
  eventsLineCount: Int
  exitcode: Float
  fileCount: Int
  files(after: String, before: String, contentType: [String!], first: Int, last: Int, names: [String], pattern: String): FileConnection
  framework: String
  group: String
  heartbeatAt: DateTime
  history(maxStep: Int64, minStep: Int64, samples: Int): [String!]!
  historyKeys(format: HistoryKeysFormat): JSON
  historyLineCount: Int
  host: String
  id: ID!
  jobType: String
  logLineCount: Int
  name: String!
  notes: String
  outputArtifacts(after: String, before: String, filters: JSONString, first: Int, last: Int, order: String): ArtifactConnection
  project: Project
  projectId: ID!
  readOnly: Boolean
  runInfo: RunInfo
  shouldStop: Boolean
  state: String
  stopped: Boolean
  summaryMetrics(keys: [String!], packVersion: Int): JSONString
  sweepName: String
  systemMetrics: JSONString
  tags: [String!]
  updatedAt: DateTime
  user: User
  wandbConfig(keys: [String!]): JSONString
}

type RunInfo {
  args: [String!]!
  codeSaved: Boolean
  colab: String
  cpuCount: Int
  executable: String
  gpu: String
  gpuCount: Int
  os: String
  program: String
  python: String
}

type FileConnection {
  edges: [FileEdge!]!
  pageInfo: PageInfo!
  uploadHeaders: [String!]!
}

type FileEdge {
  cursor: String!
  node: File
}

type File {
  artifact: Artifact
  createdAt: DateTime
  digest: String
  directUrl: String!
  displayName: String!
  id: ID!
  md5: String
  mimetype: String
  name: String!
  sizeBytes: Int64!
  storagePath: String
  updatedAt: DateTime
  uploadHeaders: [String!]!
  # post-2023: asked by wandb-core 0.30 in createArtifactFiles (multipart only for files >= 2 GiB)
  uploadMultipartUrls: UploadMultipartUrls
  uploadUrl: String
  url(upload: Boolean): String
}

type UploadMultipartUrls {
  uploadID: String!
  uploadUrlParts: [UploadUrlPart!]!
}

type UploadUrlPart {
  partNumber: Int64!
  uploadUrl: String!
}

type ServerInfo {
  cliVersionInfo: JSON!
  # post-2023: wandb-core asks which features the server has (docs/wandb-protocol.md §7)
  features: [ServerFeature]!
  frontendHost: String!
  latestLocalVersionInfo: LocalVersionInfo
}

type LocalVersionInfo {
  latestVersionString: String!
  outOfDate: Boolean!
  versionOnThisInstanceString: String!
}

type ServerFeature {
  name: String!
  isEnabled: Boolean!
}
`;
