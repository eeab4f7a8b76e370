import type { Clock } from '../../../product/shared/clock.js';
import { collectionOf, putArtifact, putCollection } from './artifacts.js';
import { addAlert, type BlobRef, hasBlob, putBlob, readLines, readRows, writeLines } from './files.js';
import { trackChanges } from './flush.js';
import type { AlertRec, ArtifactRec, CollectionRec, LineFile, ProjectRec, RunRec, ViewRec } from './model.js';
import { type DiskLayout, diskLayout } from './persist.js';
import { ensureEntity, ensureProject, newId, projectsOf, putRun, runsOf, setViewer } from './records.js';
import { type EntityRec, loadState, projectKey, viewerOf, wholeSecondsNow } from './state.js';
import { putView, viewById, viewsOf } from './views.js';

/**
 * The server's state: metadata in memory (indexed by project), persisted per project as JSON,
 * line streams as per-run JSONL files, uploaded bytes as content-addressed blobs.
 * Callers serialise writes through the server's mutex; reads need no lock.
 * Mutating methods mark what they changed, and a debounced flush writes it (see store-flush.ts).
 */
export type Store = {
  /** Where everything lives under the data dir. */
  readonly disk: DiskLayout;
  readonly clock: Clock;
  /** The current time in epoch ms, cut to whole seconds like every stored time. */
  now(): number;

  /** The entity `viewer` answers with: the one set, else the first entity, else null. */
  viewer(): string | null;
  setViewer(name: string): void;
  entities(): string[];
  entity(name: string): EntityRec | undefined;
  /** Creates the entity unless it exists; `createdAt` defaults to now. */
  ensureEntity(name: string, createdAt?: number): void;

  project(entity: string, name: string): ProjectRec | undefined;
  /** The entity's projects, oldest first. */
  projectsOf(entity: string): ProjectRec[];
  /** The project, created (with its entity) when missing; `createdAt` defaults to now. */
  ensureProject(entity: string, name: string, createdAt?: number): ProjectRec;

  run(entity: string, project: string, name: string): RunRec | undefined;
  runsOf(entity: string, project: string): RunRec[];
  /** Adds or replaces the run, creating its project when missing. */
  putRun(run: RunRec): void;
  /** Marks a run mutated in place for the next flush. */
  touchRun(run: RunRec): void;

  view(id: string): ViewRec | undefined;
  /** The project's views in the order they were created. */
  viewsOf(entity: string, project: string): ViewRec[];
  /** Adds or replaces the view; its project must exist. */
  putView(view: ViewRec): void;

  artifact(id: string): ArtifactRec | undefined;
  artifacts(): ArtifactRec[];
  /** Adds the artifact, or marks one mutated in place for the next flush. */
  putArtifact(artifact: ArtifactRec): void;
  collection(entity: string, project: string, name: string): CollectionRec | undefined;
  putCollection(collection: CollectionRec): void;

  /** Marks the global records (viewer, entities, artifacts, collections, ids) for the next flush. */
  touchGlobal(): void;
  /** A new opaque id, base64 of `<kind>:<n>`. */
  newId(kind: string): string;

  alerts(): readonly AlertRec[];
  /** Records the alert and appends it to the alert log before resolving. */
  addAlert(alert: AlertRec): Promise<void>;

  /** Writes `lines` from line index `offset`, overwriting lines already there (a retried chunk resends them). */
  writeLines(run: RunRec, file: LineFile, offset: number, lines: readonly string[]): Promise<void>;
  /** Every complete line, placeholders of not-yet-received chunks included (as empty strings). */
  readLines(run: RunRec, file: LineFile): Promise<string[]>;
  /** Lines that hold data (placeholders of not-yet-received chunks are skipped). */
  readRows(run: RunRec, file: LineFile): Promise<string[]>;

  /** Stores bytes under their MD5 and returns the base64 MD5 clients compare with. */
  putBlob(bytes: Uint8Array): Promise<BlobRef>;
  hasBlob(hex: string): Promise<boolean>;

  /** Writes every pending change now. */
  flush(): Promise<void>;
  /** Flushes; the store holds no other resources. */
  close(): Promise<void>;
};

/** Loads the data dir (created if missing; it must be writable) into a Store. */
export async function openStore(dataDir: string, clock: Clock): Promise<Store> {
  const state = await loadState(diskLayout(dataDir), clock);
  const changes = trackChanges(state);
  return {
    disk: state.disk,
    clock,
    now: () => wholeSecondsNow(clock),
    viewer: () => viewerOf(state),
    setViewer: (name) => setViewer(state, changes, name),
    entities: () => [...state.entities.keys()],
    entity: (name) => state.entities.get(name),
    ensureEntity: (name, createdAt) => ensureEntity(state, changes, name, createdAt),
    project: (entity, name) => state.projects.get(projectKey(entity, name)),
    projectsOf: (entity) => projectsOf(state, entity),
    ensureProject: (entity, name, createdAt) => ensureProject(state, changes, entity, name, createdAt),
    run: (entity, project, name) => state.runs.get(projectKey(entity, project))?.get(name),
    runsOf: (entity, project) => runsOf(state, entity, project),
    putRun: (run) => putRun(state, changes, run),
    touchRun: (run) => changes.touchProject(run.entity, run.project),
    view: (id) => viewById(state, id),
    viewsOf: (entity, project) => viewsOf(state, entity, project),
    putView: (view) => putView(state, changes, view),
    artifact: (id) => state.artifacts.get(id),
    artifacts: () => [...state.artifacts.values()],
    putArtifact: (artifact) => putArtifact(state, changes, artifact),
    collection: (entity, project, name) => collectionOf(state, entity, project, name),
    putCollection: (collection) => putCollection(state, changes, collection),
    touchGlobal: () => changes.touchGlobal(),
    newId: (kind) => newId(state, changes, kind),
    alerts: () => state.alerts,
    addAlert: (alert) => addAlert(state, alert),
    writeLines: (run, file, offset, lines) => writeLines(state, changes, run, file, offset, lines),
    readLines: (run, file) => readLines(state, run, file),
    readRows: (run, file) => readRows(state, run, file),
    putBlob: (bytes) => putBlob(state, bytes),
    hasBlob: (hex) => hasBlob(state, hex),
    flush: () => changes.flush(),
    close: () => changes.flush(),
  };
}
