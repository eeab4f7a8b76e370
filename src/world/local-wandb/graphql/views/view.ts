import { formatWandbDate } from '../../../seed/datetime.js';
import type { ProjectRec, ViewRec } from '../../store/model.js';
import { paginate } from '../connection.js';
import { type Args, type GqlContext, int, str } from '../context.js';
import { userView } from './user.js';

/** A View object as W&B answers it; `spec` is the JSON text saved, unchanged. */
export function viewView(view: ViewRec, ctx: GqlContext) {
  const { store } = ctx;
  const project = store.project(view.entity, view.project);
  return {
    id: view.id,
    name: view.name,
    displayName: view.displayName,
    description: view.description,
    type: view.type,
    createdUsing: view.createdUsing,
    spec: view.spec,
    entityName: view.entity,
    projectName: view.project,
    projectId: project?.internalId ?? null,
    project: () => (project ? ctx.projectViews.projectView(project, ctx) : null),
    entity: () => (store.entity(view.entity) ? ctx.projectViews.entityView(view.entity, ctx) : null),
    user: () => (view.user === null ? null : userView(view.user, ctx)),
    updatedBy: () => (view.updatedBy === null ? null : userView(view.updatedBy, ctx)),
    userId: null,
    locked: view.locked,
    parentId: view.parentId,
    coverUrl: view.coverUrl,
    previewUrl: view.previewUrl,
    showcasedAt: view.showcasedAt === null ? null : formatWandbDate(view.showcasedAt),
    createdAt: formatWandbDate(view.createdAt),
    updatedAt: formatWandbDate(view.updatedAt),
    starCount: 0,
    starred: false,
    viewCount: 0,
    uploadHeaders: [],
  };
}

/**
 * `project.allViews`: the project's views filtered by type, name and creator, in creation order (W&B's
 * order for this listing is not documented; callers that care sort themselves).
 */
export function viewConnection(project: ProjectRec, args: Args, ctx: GqlContext) {
  const viewType = str(args.viewType);
  const viewName = str(args.viewName);
  const userName = str(args.userName);
  const views = ctx.store
    .viewsOf(project.entity, project.name)
    .filter(
      (v) =>
        (viewType === null || v.type === viewType) &&
        (viewName === null || v.name === viewName) &&
        (userName === null || v.user === userName),
    )
    .slice(Math.max(0, int(args.offset) ?? 0));
  return paginate(views, { first: int(args.first), after: str(args.after) }, (v) => viewView(v, ctx));
}
