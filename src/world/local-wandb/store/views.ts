import { InternalError } from '../../../product/shared/errors.js';
import type { ChangeTracker } from './flush.js';
import type { ViewRec } from './model.js';
import { projectKey, type StoreState } from './state.js';

// Saved views (Reports), persisted with their project and found by id through a side index.

export function viewById(state: StoreState, id: string): ViewRec | undefined {
  const k = state.viewProjects.get(id);
  return k === undefined ? undefined : state.views.get(k)?.get(id);
}

export function viewsOf(state: StoreState, entity: string, project: string): ViewRec[] {
  return [...(state.views.get(projectKey(entity, project))?.values() ?? [])];
}

export function putView(state: StoreState, changes: ChangeTracker, view: ViewRec): void {
  const k = projectKey(view.entity, view.project);
  if (!state.projects.has(k)) throw new InternalError(`putView: no project ${view.entity}/${view.project}`);
  let projectViews = state.views.get(k);
  if (!projectViews) {
    projectViews = new Map();
    state.views.set(k, projectViews);
  }
  projectViews.set(view.id, view);
  state.viewProjects.set(view.id, k);
  changes.touchProject(view.entity, view.project);
}
