import type { GqlContext } from './context.js';
import { encodeId } from './ids.js';

/** A User; there is one per server (the API key's), owner of every run and project. */
export function userView(entity: string, ctx: GqlContext) {
  const teams = ctx.store.entities().filter((e) => e !== entity);
  return {
    id: encodeId('User', entity),
    entity,
    username: entity,
    name: entity,
    email: `${entity}@localhost`,
    admin: false,
    flags: '{}',
    deletedAt: null,
    apiKeys: {
      edges: [],
      pageInfo: { startCursor: null, endCursor: null, hasNextPage: false, hasPreviousPage: false },
    },
    defaultEntity: () => ctx.projectViews.entityView(entity, ctx),
    userEntity: () => ctx.projectViews.entityView(entity, ctx),
    teams: () => ({
      edges: teams.map((name) => ({
        cursor: encodeId('Entity', name),
        node: ctx.projectViews.entityView(name, ctx),
      })),
    }),
  };
}
