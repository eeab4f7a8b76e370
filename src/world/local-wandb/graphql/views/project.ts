import { formatWandbDate } from '../../../seed/datetime.js';
import { encodeId, projectId } from '../../store/ids.js';
import type { ProjectRec } from '../../store/model.js';
import { paginate } from '../connection.js';
import { type Args, type GqlContext, int, type ProjectViews, str } from '../context.js';
import { compileRunFilter, runComparator } from '../filters.js';
import {
  artifactView,
  collectionView,
  membershipView,
  resolveArtifactName,
  splitArtifactName,
} from './artifact.js';
import { runView } from './run.js';
import { userView } from './user.js';
import { viewConnection } from './view.js';

export function entityView(name: string, ctx: GqlContext) {
  const createdAt = ctx.store.entity(name)?.createdAt ?? 0;
  return {
    id: encodeId('Entity', name),
    name,
    isTeam: name !== ctx.store.viewer(),
    createdAt: formatWandbDate(createdAt),
    projects: (args: Args) => projectConnection(name, args, ctx),
  };
}

export function projectConnection(entity: string, args: Args, ctx: GqlContext) {
  return paginate(ctx.store.projectsOf(entity), { first: int(args.first), after: str(args.after) }, (p) =>
    projectView(p, ctx),
  );
}

/** A Project object: `run`/`runs`/`runCount` with W&B's filters and order, and artifact lookups. */
export function projectView(project: ProjectRec, ctx: GqlContext) {
  const { store } = ctx;
  const runOf = (args: Args) => {
    const run = store.run(project.entity, project.name, String(args.name));
    return run ? runView(run, ctx) : null;
  };
  const filtered = (filters: unknown) =>
    store.runsOf(project.entity, project.name).filter(compileRunFilter(filters));
  const id = projectId(project.entity, project.name);
  return {
    id,
    internalId: String(project.internalId),
    name: project.name,
    entityName: project.entity,
    entity: () => entityView(project.entity, ctx),
    createdAt: formatWandbDate(project.createdAt),
    updatedAt: formatWandbDate(project.updatedAt),
    description: project.description,
    isBenchmark: false,
    user: () => {
      const viewer = store.viewer();
      return viewer === null ? null : userView(viewer, ctx);
    },
    readOnly: false,
    totalRuns: () => store.runsOf(project.entity, project.name).length,
    run: runOf,
    bucket: runOf,
    runCount: (args: Args) => filtered(args.filters).length,
    runs: (args: Args) => {
      const runs = filtered(args.filters).sort(runComparator(str(args.order)));
      return paginate(runs, { first: int(args.first), after: str(args.after) }, (r) => runView(r, ctx));
    },
    artifact: (args: Args) => {
      const artifact = resolveArtifactName(ctx, project.entity, project.name, String(args.name));
      return artifact ? artifactView(artifact, ctx) : null;
    },
    artifactCollectionMembership: (args: Args) => {
      const artifact = resolveArtifactName(ctx, project.entity, project.name, String(args.name));
      return artifact ? membershipView(artifact, ctx) : null;
    },
    artifactCollection: (args: Args) => {
      const collection = store.collection(
        project.entity,
        project.name,
        splitArtifactName(String(args.name)).name,
      );
      return collection ? collectionView(collection, ctx) : null;
    },
    artifactType: (args: Args) => artifactTypeView(project, String(args.name), ctx),
    artifactCollections: () => paginate([], {}, (x) => x),
    allViews: (args: Args) => viewConnection(project, args, ctx),
  };
}

export function artifactTypeView(project: ProjectRec, name: string, ctx: GqlContext) {
  return {
    id: encodeId('ArtifactType', name, project.name, project.entity),
    name,
    description: null,
    createdAt: formatWandbDate(project.createdAt),
    project: () => projectView(project, ctx),
    artifact: (args: Args) => {
      const artifact = resolveArtifactName(ctx, project.entity, project.name, String(args.name));
      return artifact && artifact.type === name ? artifactView(artifact, ctx) : null;
    },
    artifactCollection: (args: Args) => {
      const c = ctx.store.collection(project.entity, project.name, String(args.name));
      return c && c.type === name ? collectionView(c, ctx) : null;
    },
    artifactSequence: (args: Args) => {
      const c = ctx.store.collection(project.entity, project.name, String(args.name));
      return c && c.type === name ? collectionView(c, ctx) : null;
    },
  };
}

/** The views other view files reach through `GqlContext.projectViews`. */
export const PROJECT_VIEWS: ProjectViews = { projectView, entityView, artifactTypeView };
