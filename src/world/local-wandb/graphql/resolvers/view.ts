import { randomBytes } from 'node:crypto';
import { parseInstant } from '../../../seed/datetime.js';
import type { ViewRec } from '../../store/model.js';
import { type Args, type GqlContext, str } from '../context.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { viewView } from '../views/view.js';

/**
 * The stored form of a view id. Report URLs carry the id without base64 padding and
 * wandb-workspaces re-pads it (wandb_workspaces/reports/v2/interface.py `_url_to_report_id`), so both
 * spellings find the view.
 */
function canonicalViewId(id: string): string {
  return Buffer.from(id, 'base64').toString('base64');
}

/** Fields of UpsertViewInput that replace the stored value when given (null or absent: unchanged). */
const TEXT_FIELDS = [
  'name',
  'displayName',
  'description',
  'type',
  'coverUrl',
  'previewUrl',
  'parentId',
] as const;

/** `view(id:)`: null for an unknown id, or when `type` is given and differs. */
export function viewQueries(ctx: GqlContext) {
  return {
    view: (args: Args) => {
      const view = ctx.store.view(canonicalViewId(String(args.id)));
      const type = str(args.type);
      return view && (type === null || view.type === type) ? viewView(view, ctx) : null;
    },
  };
}

/**
 * `upsertView` as wandb-workspaces uses it (wandb_workspaces/reports/v2/gql.py): with `id`, the view is
 * updated in place; without, a new view is created in `entityName/projectName` (the project must exist:
 * Report.save() creates it first, interface.py). `spec` must be JSON text.
 */
export function viewMutations(ctx: GqlContext) {
  const { store } = ctx;
  return {
    upsertView: ({ input }: { input: Args }) => {
      const spec = str(input.spec);
      if (spec !== null && !isJson(spec)) throw new BadRequestError('spec is not valid JSON');
      const now = store.now();
      const viewer = store.viewer();
      const id = str(input.id);
      let view: ViewRec;
      let isInserted = false;
      if (id) {
        const found = store.view(canonicalViewId(id));
        if (!found) throw new NotFoundError('view not found');
        view = found;
      } else {
        view = newView(ctx, input, now);
        isInserted = true;
      }
      const target = view as unknown as Record<string, unknown>;
      for (const field of TEXT_FIELDS) {
        const value = str(input[field]);
        if (value !== null) target[field] = value;
      }
      if (spec !== null) view.spec = spec;
      if (typeof input.locked === 'boolean') view.locked = input.locked;
      const showcasedAt = parseInstant(input.showcasedAt);
      if (showcasedAt !== undefined) view.showcasedAt = showcasedAt;
      view.updatedAt = now;
      view.updatedBy = viewer;
      store.putView(view);
      return { view: viewView(view, ctx), inserted: isInserted };
    },
  };
}

function newView(ctx: GqlContext, input: Args, now: number): ViewRec {
  const { store } = ctx;
  const entity = str(input.entityName) ?? store.viewer();
  const projectName = str(input.projectName);
  if (entity === null || projectName === null)
    throw new BadRequestError('entityName and projectName are required');
  if (!store.project(entity, projectName)) throw new NotFoundError('project not found');
  return {
    id: store.newId('View'),
    entity,
    project: projectName,
    // wandb-workspaces always sends a name (a random one for a new report); others get one here.
    name: str(input.name) ?? randomBytes(6).toString('hex'),
    displayName: null,
    description: null,
    type: null,
    createdUsing: str(input.createdUsing) ?? 'WANDB_UI',
    spec: null,
    user: store.viewer(),
    updatedBy: null,
    locked: false,
    parentId: null,
    coverUrl: null,
    previewUrl: null,
    showcasedAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
