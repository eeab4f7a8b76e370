import { type Args, type GqlContext, str } from '../context.js';
import { artifactView } from '../views/artifact.js';
import { entityView, projectConnection, projectView } from '../views/project.js';
import { userView } from '../views/user.js';

/** Query root. `project`/`model` answer null for a missing project (HTTP 200), as W&B does (docs/wandb-protocol.md §1.5). */
export function queryRoot(ctx: GqlContext) {
  const { store } = ctx;
  const project = (args: Args) => {
    const entity = str(args.entityName) ?? store.viewer();
    const found = entity === null ? undefined : store.project(entity, String(args.name));
    return found ? projectView(found, ctx) : null;
  };
  return {
    viewer: () => {
      const entity = store.viewer();
      return entity === null ? null : userView(entity, ctx);
    },
    models: (args: Args) => {
      const entity = str(args.entityName) ?? store.viewer();
      return entity === null ? null : projectConnection(entity, args, ctx);
    },
    projects: (args: Args) => {
      const entity = str(args.entityName) ?? store.viewer();
      return entity === null ? null : projectConnection(entity, args, ctx);
    },
    project,
    model: project,
    entity: (args: Args) => {
      const name = str(args.name) ?? store.viewer();
      return name !== null && store.entity(name) ? entityView(name, ctx) : null;
    },
    artifact: (args: Args) => {
      const artifact = store.artifact(String(args.id));
      return artifact ? artifactView(artifact, ctx) : null;
    },
    serverInfo: () => ({
      // py0173 sends alerts only when max_cli_version >= 0.10.9 (sender.py send_alert); a high value also
      // keeps clients from warning that they are newer than the server supports.
      cliVersionInfo: { max_cli_version: '999.0.0' },
      frontendHost: ctx.baseUrl,
      latestLocalVersionInfo: null,
      // No FILESTREAM_GZIP etc.: clients then send plain JSON (docs/wandb-protocol.md §7).
      features: [],
    }),
  };
}
