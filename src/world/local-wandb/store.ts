import { appendFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from '../../product/shared/clock.js';
import { InputError, InternalError } from '../../product/shared/errors.js';
import type {
  AlertRec,
  ArtifactRec,
  CollectionRec,
  GlobalState,
  LineFile,
  ProjectRec,
  RunRec,
  ViewRec,
} from './model.js';
import {
  type DiskLayout,
  diskLayout,
  isNotFound,
  listProjectFiles,
  md5Base64,
  readTextIfExists,
  writeAtomic,
} from './persist.js';

/** Debounce for metadata writes: bursts of mutations (a 200k-run seed, a file stream) cost one write per project. */
const FLUSH_DELAY_MS = 50;

const key = (...parts: readonly string[]): string => parts.join('\u0000');

/** `views` is absent in files written before views were stored. */
type ProjectFile = { project: ProjectRec; runs: RunRec[]; views?: ViewRec[] };

/**
 * The server's state: metadata in memory (indexed by project), persisted per project as JSON,
 * line streams as per-run JSONL files, uploaded bytes as content-addressed blobs.
 * Callers serialise writes through the server's mutex; reads need no lock.
 */
export type Store = Awaited<ReturnType<typeof openStore>>;

export async function openStore(dataDir: string, clock: Clock) {
  const disk = diskLayout(dataDir);
  await assertWritable(disk);
  const projects = new Map<string, ProjectRec>();
  const runs = new Map<string, Map<string, RunRec>>();
  const views = new Map<string, Map<string, ViewRec>>();
  /** view id -> project key */
  const viewProjects = new Map<string, string>();
  const global = await loadGlobal(disk);
  const entities = new Map(global.entities.map((e) => [e.name, e]));
  const artifacts = new Map(global.artifacts.map((a) => [a.id, a]));
  const collections = new Map(global.collections.map((c) => [key(c.entity, c.project, c.name), c]));
  for (const file of await listProjectFiles(disk.projectsDir)) {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as ProjectFile;
    const k = key(parsed.project.entity, parsed.project.name);
    projects.set(k, parsed.project);
    runs.set(k, new Map(parsed.runs.map((r) => [r.name, r])));
    views.set(k, new Map((parsed.views ?? []).map((v) => [v.id, v])));
    for (const v of parsed.views ?? []) viewProjects.set(v.id, k);
  }
  const alerts = ((await readTextIfExists(disk.alertsFile)) ?? '')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AlertRec);

  const dirtyProjects = new Set<string>();
  let isGlobalDirty = false;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  const flushNow = async (): Promise<void> => {
    const todo = [...dirtyProjects];
    dirtyProjects.clear();
    const writeGlobal = isGlobalDirty;
    isGlobalDirty = false;
    for (const k of todo) {
      const project = projects.get(k);
      if (!project) continue;
      const file: ProjectFile = {
        project,
        runs: [...(runs.get(k)?.values() ?? [])],
        views: [...(views.get(k)?.values() ?? [])],
      };
      await writeAtomic(disk.projectFile(project.entity, project.name), JSON.stringify(file));
    }
    if (writeGlobal) {
      const state: GlobalState = {
        viewer: global.viewer,
        entities: [...entities.values()],
        artifacts: [...artifacts.values()],
        collections: [...collections.values()],
        nextId: global.nextId,
      };
      await writeAtomic(disk.globalFile, JSON.stringify(state));
    }
  };
  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    flushing = flushing.then(flushNow);
    return flushing;
  };
  const schedule = (): void => {
    timer ??= setTimeout(() => void flush(), FLUSH_DELAY_MS);
  };
  const touchProject = (entity: string, project: string): void => {
    dirtyProjects.add(key(entity, project));
    schedule();
  };
  const touchGlobal = (): void => {
    isGlobalDirty = true;
    schedule();
  };

  return {
    disk,
    clock,
    /** Whole seconds: W&B emits DateTime without fraction, and filters must agree with what clients read. */
    now: (): number => Math.floor(clock.now().getTime() / 1000) * 1000,
    viewer: (): string | null => global.viewer ?? entities.keys().next().value ?? null,
    setViewer(name: string): void {
      global.viewer = name;
      touchGlobal();
    },
    entities: (): string[] => [...entities.keys()],
    entity: (name: string): { name: string; createdAt: number } | undefined => entities.get(name),
    ensureEntity(name: string, createdAt = Math.floor(clock.now().getTime() / 1000) * 1000): void {
      if (entities.has(name)) return;
      entities.set(name, { name, createdAt });
      touchGlobal();
    },
    project: (entity: string, name: string): ProjectRec | undefined => projects.get(key(entity, name)),
    projectsOf: (entity: string): ProjectRec[] =>
      [...projects.values()].filter((p) => p.entity === entity).sort((a, b) => a.createdAt - b.createdAt),
    ensureProject(
      entity: string,
      name: string,
      createdAt = Math.floor(clock.now().getTime() / 1000) * 1000,
    ): ProjectRec {
      const k = key(entity, name);
      const existing = projects.get(k);
      if (existing) return existing;
      this.ensureEntity(entity, createdAt);
      global.nextId += 1;
      touchGlobal();
      const rec: ProjectRec = {
        internalId: global.nextId,
        entity,
        name,
        createdAt,
        updatedAt: createdAt,
        description: null,
      };
      projects.set(k, rec);
      runs.set(k, new Map());
      touchProject(entity, name);
      return rec;
    },
    run: (entity: string, project: string, name: string): RunRec | undefined =>
      runs.get(key(entity, project))?.get(name),
    runsOf: (entity: string, project: string): RunRec[] => [
      ...(runs.get(key(entity, project))?.values() ?? []),
    ],
    putRun(run: RunRec): void {
      this.ensureProject(run.entity, run.project, run.createdAt);
      runs.get(key(run.entity, run.project))?.set(run.name, run);
      touchProject(run.entity, run.project);
    },
    /** Marks a mutated run's project for the next flush. */
    touchRun: (run: RunRec): void => touchProject(run.entity, run.project),
    view(id: string): ViewRec | undefined {
      const k = viewProjects.get(id);
      return k === undefined ? undefined : views.get(k)?.get(id);
    },
    /** The project's views in the order they were created. */
    viewsOf: (entity: string, project: string): ViewRec[] => [
      ...(views.get(key(entity, project))?.values() ?? []),
    ],
    putView(view: ViewRec): void {
      const k = key(view.entity, view.project);
      if (!projects.has(k)) throw new InternalError(`putView: no project ${view.entity}/${view.project}`);
      let projectViews = views.get(k);
      if (!projectViews) {
        projectViews = new Map();
        views.set(k, projectViews);
      }
      projectViews.set(view.id, view);
      viewProjects.set(view.id, k);
      touchProject(view.entity, view.project);
    },
    artifact: (id: string): ArtifactRec | undefined => artifacts.get(id),
    artifacts: (): ArtifactRec[] => [...artifacts.values()],
    putArtifact(artifact: ArtifactRec): void {
      artifacts.set(artifact.id, artifact);
      touchGlobal();
    },
    collection: (entity: string, project: string, name: string): CollectionRec | undefined =>
      collections.get(key(entity, project, name)),
    putCollection(collection: CollectionRec): void {
      collections.set(key(collection.entity, collection.project, collection.name), collection);
      touchGlobal();
    },
    touchGlobal,
    newId(kind: string): string {
      global.nextId += 1;
      touchGlobal();
      return Buffer.from(`${kind}:${global.nextId}`).toString('base64');
    },
    alerts: (): readonly AlertRec[] => alerts,
    async addAlert(alert: AlertRec): Promise<void> {
      alerts.push(alert);
      await appendFile(disk.alertsFile, `${JSON.stringify(alert)}\n`);
    },
    /** Writes `lines` from line index `offset`, overwriting lines already there (a retried chunk resends them). */
    async writeLines(run: RunRec, file: LineFile, offset: number, lines: readonly string[]): Promise<void> {
      const path = disk.linesFile(run.entity, run.project, run.name, file);
      const clean = lines.map((l) => l.replace(/\r?\n$/, '').replace(/\r?\n/g, ' '));
      const count = run.lineCounts[file];
      if (offset >= count) {
        // A chunk past the end (an earlier one still in flight) leaves empty lines as placeholders.
        const gap = Array.from({ length: offset - count }, () => '');
        await mkdir(dirname(path), { recursive: true });
        await appendFile(path, [...gap, ...clean].map((l) => `${l}\n`).join(''));
        run.lineCounts[file] = offset + clean.length;
      } else {
        const existing = await this.readLines(run, file);
        existing.splice(offset, clean.length, ...clean);
        await writeAtomic(path, existing.map((l) => `${l}\n`).join(''));
        run.lineCounts[file] = existing.length;
      }
      touchProject(run.entity, run.project);
    },
    async readLines(run: RunRec, file: LineFile): Promise<string[]> {
      const text = await readTextIfExists(disk.linesFile(run.entity, run.project, run.name, file));
      // A concurrent append may leave a partial last line; only complete lines count.
      return text === undefined ? [] : text.split('\n').slice(0, -1);
    },
    /** Lines that hold data (placeholders of not-yet-received chunks are skipped). */
    async readRows(run: RunRec, file: LineFile): Promise<string[]> {
      return (await this.readLines(run, file)).filter((line) => line !== '');
    },
    /** Stores bytes under their MD5 and returns the base64 MD5 clients compare with. */
    async putBlob(bytes: Uint8Array): Promise<{ md5: string; hex: string; size: number }> {
      const md5 = md5Base64(bytes);
      const hex = Buffer.from(md5, 'base64').toString('hex');
      const path = disk.blobFile(hex);
      if (!(await exists(path))) await writeAtomic(path, bytes);
      return { md5, hex, size: bytes.length };
    },
    hasBlob: (hex: string): Promise<boolean> => exists(disk.blobFile(hex)),
    flush,
    async close(): Promise<void> {
      await flush();
    },
  };
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

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}
