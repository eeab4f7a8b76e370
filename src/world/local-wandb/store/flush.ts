import { projectKey, type StoreState, saveGlobal, saveProject } from './state.js';

/** Debounce for metadata writes: bursts of mutations (a 200k-run seed, a file stream) cost one write per project. */
const FLUSH_DELAY_MS = 50;

/** Which parts of the metadata changed since the last flush, and the debounced write that saves them. */
export type ChangeTracker = {
  /** Marks the project's file (project, runs, views) for the next flush. */
  touchProject(entity: string, project: string): void;
  /** Marks the global file (viewer, entities, artifacts, collections, ids) for the next flush. */
  touchGlobal(): void;
  /** Writes every pending change now; flushes run one after another, never interleaved. */
  flush(): Promise<void>;
};

export function trackChanges(state: StoreState): ChangeTracker {
  const dirtyProjects = new Set<string>();
  let isGlobalDirty = false;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  // Takes the pending marks first, so mutations made while writing wait for the next flush.
  const flushNow = async (): Promise<void> => {
    const todo = [...dirtyProjects];
    dirtyProjects.clear();
    const writeGlobal = isGlobalDirty;
    isGlobalDirty = false;
    for (const k of todo) await saveProject(state, k);
    if (writeGlobal) await saveGlobal(state);
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
  return {
    touchProject(entity: string, project: string): void {
      dirtyProjects.add(projectKey(entity, project));
      schedule();
    },
    touchGlobal(): void {
      isGlobalDirty = true;
      schedule();
    },
    flush,
  };
}
