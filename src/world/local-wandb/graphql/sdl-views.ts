// Views (Reports are views of type "runs"), from the same source as schema-sdl-read.ts: the types,
// fields, arguments and nullability of @wandb/sdk 0.5.1 dist/gql/graphql.d.ts for the subset we serve.
// Clients: wandb/wandb-workspaces wandb_workspaces/reports/v2/gql.py (upsertView, view) and
// wandb/wandb wandb/apis/public/reports.py (project.allViews; it also asks user.photoUrl).
export const VIEWS_SDL = /* GraphQL */ `
extend type Query {
  view(id: ID!, type: String): View
}

extend type Mutation {
  upsertView(input: UpsertViewInput!): UpsertViewPayload
}

extend type Project {
  allViews(after: String, before: String, first: Int, last: Int, offset: Int, userId: Int, userName: String, viewName: String, viewType: String): ViewConnection
}

extend type User {
  photoUrl: String
}

type View {
  coverUrl: String
  createdAt: DateTime!
  createdUsing: ViewSource!
  description: String
  displayName: String
  entity: Entity
  entityName: String!
  id: ID!
  locked: Boolean!
  name: String
  parentId: ID
  previewUrl: String
  project: Project
  projectId: Int
  projectName: String!
  showcasedAt: DateTime
  spec: JSONString
  starCount(from: DateTime, to: DateTime): Int!
  starred: Boolean
  type: String
  updatedAt: DateTime
  updatedBy: User
  uploadHeaders: [String!]!
  user: User
  userId: Int
  viewCount: Int!
}

type ViewConnection {
  edges: [ViewEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

type ViewEdge {
  cursor: String!
  node: View
}

type UpsertViewPayload {
  clientMutationId: String
  inserted: Boolean
  view: View
}

input UpsertViewInput {
  clientMutationId: String
  coverUrl: String
  createdUsing: ViewSource
  description: String
  displayName: String
  entityName: String
  id: ID
  locked: Boolean
  name: String
  parentId: ID
  previewUrl: String
  projectName: String
  showcasedAt: DateTime
  spec: String
  type: String
}

enum ViewSource {
  WANDB_SDK
  WANDB_UI
  WANDB_UI_SHARE_PANEL
}
`;
