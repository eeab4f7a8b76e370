import { encodeId } from '../../store/ids.js';
import type { UserRec } from '../../store/model.js';
import type { GqlContext } from '../context.js';

/** A User; the API key's, which owns every project and the runs the key creates. */
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

/**
 * A run's User (`Run.user`): the API key's user in full when it ran it; another user with what the
 * server knows of them (id, username, name), the rest null as for a user the key cannot see into:
 * no email, keys, flags or teams, and their own entity only when the server has it.
 */
export function runUserView(user: UserRec, ctx: GqlContext) {
  if (user.username === ctx.store.viewer()) return { ...userView(user.username, ctx), name: user.name };
  const hasEntity = ctx.store.entity(user.username) !== undefined;
  const own = () => (hasEntity ? ctx.projectViews.entityView(user.username, ctx) : null);
  return {
    id: encodeId('User', user.username),
    entity: user.username,
    username: user.username,
    name: user.name,
    email: null,
    admin: false,
    flags: null,
    deletedAt: null,
    apiKeys: null,
    defaultEntity: own,
    userEntity: own,
    teams: null,
  };
}
