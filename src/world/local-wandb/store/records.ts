import type { ChangeTracker } from './flush.js';
import type { ProjectRec, RunRec } from './model.js';
import { projectKey, type StoreState, wholeSecondsNow } from './state.js';

// Entities, projects, runs and ids: the records persisted per project, plus the global counter.

export function setViewer(state: StoreState, changes: ChangeTracker, name: string): void {
  state.viewer = name;
  changes.touchGlobal();
}

export function ensureEntity(
  state: StoreState,
  changes: ChangeTracker,
  name: string,
  createdAt = wholeSecondsNow(state.clock),
): void {
  if (state.entities.has(name)) return;
  state.entities.set(name, { name, createdAt });
  changes.touchGlobal();
}

/** The entity's projects, oldest first. */
export function projectsOf(state: StoreState, entity: string): ProjectRec[] {
  return [...state.projects.values()]
    .filter((p) => p.entity === entity)
    .sort((a, b) => a.createdAt - b.createdAt);
}

/** The project, created (with its entity) when missing; `internalId` comes from the global counter. */
export function ensureProject(
  state: StoreState,
  changes: ChangeTracker,
  entity: string,
  name: string,
  createdAt = wholeSecondsNow(state.clock),
): ProjectRec {
  const k = projectKey(entity, name);
  const existing = state.projects.get(k);
  if (existing) return existing;
  ensureEntity(state, changes, entity, createdAt);
  state.nextId += 1;
  changes.touchGlobal();
  const rec: ProjectRec = {
    internalId: state.nextId,
    entity,
    name,
    createdAt,
    updatedAt: createdAt,
    description: null,
  };
  state.projects.set(k, rec);
  state.runs.set(k, new Map());
  changes.touchProject(entity, name);
  return rec;
}

export function runsOf(state: StoreState, entity: string, project: string): RunRec[] {
  return [...(state.runs.get(projectKey(entity, project))?.values() ?? [])];
}

/** Adds or replaces the run, creating its project (dated like the run) when missing. */
export function putRun(state: StoreState, changes: ChangeTracker, run: RunRec): void {
  ensureProject(state, changes, run.entity, run.project, run.createdAt);
  state.runs.get(projectKey(run.entity, run.project))?.set(run.name, run);
  changes.touchProject(run.entity, run.project);
}

/** A new opaque id (docs/wandb-protocol.md §1.4): base64 of `<kind>:<n>`, unique across kinds. */
export function newId(state: StoreState, changes: ChangeTracker, kind: string): string {
  state.nextId += 1;
  changes.touchGlobal();
  return Buffer.from(`${kind}:${state.nextId}`).toString('base64');
}
