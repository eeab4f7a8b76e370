import { randomBytes } from 'node:crypto';
import { decodeId, runId } from '../../store/ids.js';
import { type RunRec, type UserRec, viewerUserRec } from '../../store/model.js';
import { type Args, type GqlContext, int, str } from '../context.js';
import { NotFoundError } from '../errors.js';
import { runView } from '../views/run.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The Python SDK's wait when none is given (wandb/wandb wandb/sdk/wandb_run.py alert). */
const DEFAULT_ALERT_WAIT_MS = 60_000;

/** A new run record; `user` is who W&B says ran it (`Run.user`). */
export function newRun(
  entity: string,
  project: string,
  name: string,
  now: number,
  user: UserRec | null,
): RunRec {
  return {
    entity,
    project,
    name,
    displayName: name,
    description: null,
    notes: null,
    state: 'running',
    tags: [],
    host: null,
    group: null,
    jobType: null,
    sweepName: null,
    commit: null,
    createdAt: now,
    updatedAt: now,
    heartbeatAt: now,
    runInfo: null,
    user,
    config: '{}',
    summaryMetrics: '{}',
    systemMetrics: '{}',
    exitcode: null,
    lineCounts: { 'wandb-history.jsonl': 0, 'wandb-events.jsonl': 0, 'output.log': 0 },
    eventsPattern: null,
    files: {},
  };
}

/** Top-level merge: a lazy Python run.update() sends config "{}", which must not wipe the config (docs/wandb-protocol.md §6.3). */
function mergeConfig(current: string, incoming: string): string {
  const next: unknown = JSON.parse(incoming);
  if (!isRecord(next) || Array.isArray(next)) return incoming;
  const base: unknown = JSON.parse(current);
  return JSON.stringify({ ...(isRecord(base) ? base : {}), ...next });
}

/** Run mutations: upsertBucket (docs/wandb-protocol.md §6), createRunFiles (docs/wandb-protocol.md §8.1), notifyScriptableRunAlert (docs/wandb-protocol.md §10). */
export function runMutations(ctx: GqlContext) {
  const { store } = ctx;
  const requireRun = (entity: string, project: string, name: string): RunRec => {
    if (!store.project(entity, project)) throw new NotFoundError('project not found');
    const run = store.run(entity, project, name);
    if (!run) throw new NotFoundError('run not found');
    return run;
  };
  return {
    upsertBucket: ({ input }: { input: Args }) => {
      let run: RunRec | undefined;
      let isInserted = false;
      const id = str(input.id);
      if (id) {
        const [name, project, entity] = decodeId('Run', id) ?? [];
        run = name && project && entity ? store.run(entity, project, name) : undefined;
        if (!run) throw new NotFoundError('run not found');
      } else {
        const entity = str(input.entityName) ?? store.viewer();
        if (entity === null) throw new NotFoundError('entity not found');
        // @wandb/sdk defaults the project to "uncategorized" itself; W&B creates missing projects on init.
        const project = str(input.modelName) ?? 'uncategorized';
        const name = str(input.name) ?? randomBytes(4).toString('hex');
        run = store.run(entity, project, name);
        if (!run) {
          // The key's user runs what the key creates. Its entity first, so a first run on an empty
          // server belongs to the viewer it makes.
          const now = store.now();
          store.ensureEntity(entity, now);
          run = newRun(entity, project, name, now, viewerUserRec(store.viewer()));
          isInserted = true;
        }
      }
      applyUpdate(run, input);
      run.updatedAt = store.now();
      store.putRun(run);
      return { bucket: runView(run, ctx), inserted: isInserted, updateAvailable: false };
    },
    createRunFiles: ({ input }: { input: Args }) => {
      const run = requireRun(String(input.entityName), String(input.projectName), String(input.runName));
      const names = Array.isArray(input.files) ? input.files.map(String) : [];
      return {
        runID: runId(run.entity, run.project, run.name),
        uploadHeaders: ctx.uploads.headers,
        files: names.map((name) => ({
          name,
          uploadUrl: ctx.uploads.url(ctx.baseUrl, {
            kind: 'run-file',
            entity: run.entity,
            project: run.project,
            run: run.name,
            name,
          }),
        })),
      };
    },
    notifyScriptableRunAlert: async ({ input }: { input: Args }) => {
      const run = requireRun(String(input.entityName), String(input.projectName), String(input.runName));
      const title = String(input.title);
      const waitDuration = int(input.waitDuration);
      const now = store.clock.now();
      // W&B drops an alert whose title repeats on the same run within its wait and still answers
      // success (wandb/wandb wandb/sdk/wandb_run.py alert: "the time to wait before sending another
      // alert with this title"). Without a wait, the SDK's default of one minute is assumed.
      const since = now.getTime() - (waitDuration ?? DEFAULT_ALERT_WAIT_MS);
      const isRepeat = store
        .alerts()
        .some(
          (a) =>
            a.title === title &&
            a.run === run.name &&
            a.project === run.project &&
            a.entity === run.entity &&
            Date.parse(a.time) > since,
        );
      if (isRepeat) return { success: true };
      await store.addAlert({
        title,
        text: String(input.text),
        severity: str(input.severity) ?? 'INFO',
        entity: run.entity,
        project: run.project,
        run: run.name,
        waitDuration,
        time: now.toISOString(),
      });
      return { success: true };
    },
  };
}

/** Null or absent fields stay unchanged; `tags` replaces the whole list (docs/wandb-protocol.md §6.3). */
function applyUpdate(run: RunRec, input: Args): void {
  const text: [keyof RunRec & string, string][] = [
    ['displayName', 'displayName'],
    ['description', 'description'],
    ['notes', 'notes'],
    ['state', 'state'],
    ['host', 'host'],
    ['group', 'groupName'],
    ['jobType', 'jobType'],
    ['commit', 'commit'],
    ['sweepName', 'sweep'],
  ];
  const target = run as unknown as Record<string, unknown>;
  for (const [field, inputName] of text) {
    const value = str(input[inputName]);
    if (value !== null) target[field] = value;
  }
  if (Array.isArray(input.tags)) run.tags = input.tags.filter((t): t is string => typeof t === 'string');
  const config = str(input.config);
  if (config !== null) run.config = mergeConfig(run.config, config);
  const summary = str(input.summaryMetrics);
  if (summary !== null) run.summaryMetrics = summary;
}
