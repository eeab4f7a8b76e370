// Artifact types of W&B's GraphQL schema, from the same source as schema-sdl-read.ts.
export const ARTIFACT_SDL = /* GraphQL */ `
type Artifact {
  aliases(artifactCollectionName: String): [ArtifactAlias!]!
  artifactCollections: ArtifactCollectionConnection!
  artifactMemberships: ArtifactCollectionMembershipConnection!
  artifactSequence: ArtifactSequence!
  artifactType: ArtifactType!
  commitHash(artifactCollectionName: String): String
  createdAt: DateTime!
  currentManifest: ArtifactManifest
  description: String
  digest: String!
  fileCount: Int64!
  files(after: String, before: String, contentType: [String!], first: Int, last: Int, names: [String!]): FileConnection!
  historyStep: Int64
  id: ID!
  labels: JSONString
  metadata: JSONString
  size: Int64!
  state: ArtifactState!
  storageBytes: Int64!
  # post-2023: asked by the 0.30 public API (ArtifactFragment)
  tags: [Tag!]!
  ttlDurationSeconds: Int64!
  ttlIsInherited: Boolean!
  updatedAt: DateTime
  versionIndex(artifactCollectionName: String): Int
}

type Tag {
  attributes: JSONString!
  id: ID!
  name: String!
  tagCategoryName: String!
}

type ArtifactAlias {
  alias: String!
  artifact: Artifact
  artifactCollection: ArtifactCollection
  artifactCollectionName: String!
  id: ID!
}

type ArtifactType {
  artifact(name: String!): Artifact
  artifactCollection(name: String!): ArtifactCollection
  artifactSequence(name: String!): ArtifactSequence
  createdAt: DateTime!
  description: String
  id: ID!
  name: String!
  project: Project!
}

interface ArtifactCollection {
  aliases(after: String, before: String, first: Int, last: Int): ArtifactAliasConnection!
  artifactMembership(aliasName: String!): ArtifactCollectionMembership
  createdAt: DateTime!
  defaultArtifactType: ArtifactType!
  description: String
  id: ID!
  name: String!
  project: Project!
  state: ArtifactCollectionState!
  updatedAt: DateTime
}

type ArtifactSequence implements ArtifactCollection {
  aliases(after: String, before: String, first: Int, last: Int): ArtifactAliasConnection!
  artifactMembership(aliasName: String!): ArtifactCollectionMembership
  createdAt: DateTime!
  defaultArtifactType: ArtifactType!
  description: String
  id: ID!
  latestArtifact: Artifact
  name: String!
  project: Project!
  state: ArtifactCollectionState!
  updatedAt: DateTime
}

type ArtifactPortfolio implements ArtifactCollection {
  aliases(after: String, before: String, first: Int, last: Int): ArtifactAliasConnection!
  artifactMembership(aliasName: String!): ArtifactCollectionMembership
  createdAt: DateTime!
  defaultArtifactType: ArtifactType!
  description: String
  id: ID!
  name: String!
  project: Project!
  state: ArtifactCollectionState!
  updatedAt: DateTime
}

type ArtifactCollectionMembership {
  aliases: [ArtifactAlias!]!
  artifact: Artifact
  artifactCollection: ArtifactCollection
  commitHash: String
  createdAt: DateTime!
  # post-2023: GetArtifactMembershipFileUrls of the 0.30 public API
  files(after: String, before: String, first: Int, last: Int): FileConnection!
  id: ID!
  versionIndex: Int
}

type ArtifactCollectionConnection {
  edges: [ArtifactCollectionEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

type ArtifactCollectionEdge {
  cursor: String!
  node: ArtifactCollection
}

type ArtifactCollectionMembershipConnection {
  edges: [ArtifactCollectionMembershipEdge!]!
  pageInfo: PageInfo!
}

type ArtifactCollectionMembershipEdge {
  cursor: String!
  node: ArtifactCollectionMembership
}

type ArtifactAliasConnection {
  edges: [ArtifactAliasEdge!]!
  pageInfo: PageInfo!
}

type ArtifactAliasEdge {
  cursor: String!
  node: ArtifactAlias
}

type ArtifactConnection {
  edges: [ArtifactEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

type ArtifactEdge {
  cursor: String!
  node: Artifact
}

type ArtifactManifest {
  artifact: Artifact!
  createdAt: DateTime!
  digest: String!
  file: File!
  id: ID!
  type: ArtifactManifestType!
}
`;
