import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { Clock } from '../../../product/shared/clock.js';
import { InputError } from '../../../product/shared/errors.js';
import {
  type AlertRec,
  type ArtifactRec,
  type CollectionRec,
  type GlobalState,
  type ProjectRec,
  type RunRec,
  type UserRec,
  type ViewRec,
  viewerUserRec,
} from './model.js';
import { type DiskLayout, listProjectFiles, readTextIfExists, writeAtomic } from './persist.js';

/**
 * The store's metadata in memory, indexed for lookups. Per-project records (the project, its runs and
 * views) persist as one JSON file per project; the rest (viewer, entities, artifacts, collections, the id
 * counter) as one global file; alerts as an append-only JSONL file.
 */
export type StoreState = {
  disk: DiskLayout;
  clock: Clock;
  /** The entity `viewer` answers with; the first entity when none was set. */
  viewer: string | null;
  /** Last id handed out; ids and project internalIds share it. */
  nextId: number;
  entities: Map<string, EntityRec>;
  /** By projectKey. */
  projects: Map<string, ProjectRec>;
  /** projectKey -> run name -> run. */
  runs: Map<string, Map<string, RunRec>>;
  /** projectKey -> view id -> view, in creation order. */
  views: Map<string, Map<string, ViewRec>>;
  /** view id -> projectKey */
  viewProjects: Map<string, string>;
  artifacts: Map<string, ArtifactRec>;
  /** By collectionKey. */
  collections: Map<string, CollectionRec>;
  alerts: AlertRec[];
};

export type EntityRec = GlobalState['entities'][number];

/**
 * `views` is absent in files written before views were stored, a run's `user` in files written before
 * runs had one (every run then answered with the API key's user).
 */
type ProjectFile = {
  project: ProjectRec;
  runs: (Omit<RunRec, 'user'> & { user?: UserRec | null })[];
  views?: ViewRec[];
};

const key = (...parts: readonly string[]): string => parts.join('\u0000');
export const projectKey = (entity: string, project: string): string => key(entity, project);
export const collectionKey = (entity: string, project: string, name: string): string =>
  key(entity, project, name);

/** The entity `viewer` answers with: the one set, else the first entity, else null. */
export function viewerOf(state: Pick<StoreState, 'viewer' | 'entities'>): string | null {
  return state.viewer ?? state.entities.keys().next().value ?? null;
}

/** Whole seconds: W&B emits DateTime without fraction, and filters must agree with what clients read. */
export const wholeSecondsNow = (clock: Clock): number => Math.floor(clock.now().getTime() / 1000) * 1000;

/** Reads the data dir (after checking it is writable) into memory. */
export async function loadState(disk: DiskLayout, clock: Clock): Promise<StoreState> {
  await assertWritable(disk);
  const global = await loadGlobal(disk);
  const state: StoreState = {
    disk,
    clock,
    viewer: global.viewer,
    nextId: global.nextId,
    entities: new Map(global.entities.map((e) => [e.name, e])),
    projects: new Map(),
    runs: new Map(),
    views: new Map(),
    viewProjects: new Map(),
    artifacts: new Map(global.artifacts.map((a) => [a.id, a])),
    collections: new Map(global.collections.map((c) => [collectionKey(c.entity, c.project, c.name), c])),
    alerts: [],
  };
  const keyUser = viewerUserRec(viewerOf(state));
  for (const file of await listProjectFiles(disk.projectsDir)) {
    addProjectFile(state, JSON.parse(await readFile(file, 'utf8')) as ProjectFile, keyUser);
  }
  state.alerts = ((await readTextIfExists(disk.alertsFile)) ?? '')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AlertRec);
  return state;
}

function addProjectFile(state: StoreState, parsed: ProjectFile, keyUser: UserRec | null): void {
  const k = projectKey(parsed.project.entity, parsed.project.name);
  state.projects.set(k, parsed.project);
  state.runs.set(
    k,
    new Map(parsed.runs.map((r) => [r.name, { ...r, user: r.user === undefined ? keyUser : r.user }])),
  );
  state.views.set(k, new Map((parsed.views ?? []).map((v) => [v.id, v])));
  for (const v of parsed.views ?? []) state.viewProjects.set(v.id, k);
}

/** Writes one project's file: the project, its runs and its views. A project not (or no longer) known is skipped. */
export async function saveProject(state: StoreState, k: string): Promise<void> {
  const project = state.projects.get(k);
  if (!project) return;
  const file: ProjectFile = {
    project,
    runs: [...(state.runs.get(k)?.values() ?? [])],
    views: [...(state.views.get(k)?.values() ?? [])],
  };
  await writeAtomic(state.disk.projectFile(project.entity, project.name), JSON.stringify(file));
}

/** Writes the global file: viewer, entities, artifacts, collections and the id counter. */
export async function saveGlobal(state: StoreState): Promise<void> {
  const global: GlobalState = {
    viewer: state.viewer,
    entities: [...state.entities.values()],
    artifacts: [...state.artifacts.values()],
    collections: [...state.collections.values()],
    nextId: state.nextId,
  };
  await writeAtomic(state.disk.globalFile, JSON.stringify(global));
}

async function loadGlobal(disk: DiskLayout): Promise<GlobalState> {
  const text = await readTextIfExists(disk.globalFile);
  if (text === undefined) return { viewer: null, entities: [], artifacts: [], collections: [], nextId: 0 };
  return JSON.parse(text) as GlobalState;
}

async function assertWritable(disk: DiskLayout): Promise<void> {
  const probe = `${disk.dataDir}/.write-probe`;
  try {
    await mkdir(disk.dataDir, { recursive: true });
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    throw new InputError(disk.dataDir, 'data dir is not writable', {}, { cause: error });
  }
}
