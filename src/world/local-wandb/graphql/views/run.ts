import { stat } from 'node:fs/promises';
import { formatWandbDate } from '../../../seed/datetime.js';
import { sampleEvenly } from '../../files/sampling.js';
import { runId } from '../../store/ids.js';
import { LINE_FILES, type LineFile, type RunRec } from '../../store/model.js';
import { isNotFound } from '../../store/persist.js';
import { paginate } from '../connection.js';
import { type Args, type GqlContext, int, str } from '../context.js';
import { HistoryLoadingError } from '../errors.js';
import { artifactView } from './artifact.js';
import { runUserView } from './user.js';

const enc = encodeURIComponent;

/** URL of a run file: authenticated GET, as W&B serves `File.url` (docs/wandb-protocol.md §5.3). */
const runFileUrl = (ctx: GqlContext, run: RunRec, name: string): string =>
  `${ctx.baseUrl}/files/${enc(run.entity)}/${enc(run.project)}/${enc(run.name)}/${name.split('/').map(enc).join('/')}`;

/**
 * A run file's signed link (`File.directUrl`): opened without the key, as W&B's storage links are
 * (docs/wandb-protocol.md §1.2), and served with the type of its extension, as a file store does.
 */
const runFileDirectUrl = (ctx: GqlContext, run: RunRec, name: string): string =>
  `${ctx.baseUrl}${ctx.signer.signedPath(['_local', 'files', run.entity, run.project, run.name, ...name.split('/')])}`;

/** A Run object for graphql-js: plain values plus functions for fields that take arguments or do I/O. */
export function runView(run: RunRec, ctx: GqlContext) {
  return {
    id: runId(run.entity, run.project, run.name),
    name: run.name,
    displayName: run.displayName,
    description: run.description,
    notes: run.notes,
    state: run.state,
    tags: run.tags,
    host: run.host,
    group: run.group,
    jobType: run.jobType,
    sweepName: run.sweepName,
    commit: run.commit,
    createdAt: formatWandbDate(run.createdAt),
    updatedAt: formatWandbDate(run.updatedAt),
    heartbeatAt: formatWandbDate(run.heartbeatAt),
    runInfo: run.runInfo && { ...run.runInfo, args: [] },
    config: () => run.config,
    summaryMetrics: () => run.summaryMetrics,
    systemMetrics: run.systemMetrics,
    wandbConfig: () => '{}',
    historyLineCount: run.lineCounts['wandb-history.jsonl'],
    eventsLineCount: run.lineCounts['wandb-events.jsonl'],
    logLineCount: run.lineCounts['output.log'],
    exitcode: run.exitcode,
    readOnly: false,
    stopped: false,
    shouldStop: false,
    debug: false,
    framework: null,
    fileCount: Object.keys(run.files).length,
    projectId: String(ctx.store.project(run.entity, run.project)?.internalId ?? 0),
    project: () => {
      const project = ctx.store.project(run.entity, run.project);
      return project ? ctx.projectViews.projectView(project, ctx) : null;
    },
    // Who ran it, or null (W&B's Run.user is nullable). wandb 0.30's public Run fails on a null user
    // (runs.py _load_from_attrs builds User(None)): a seed run without `user` is the key's user's.
    user: () => (run.user === null ? null : runUserView(run.user, ctx)),
    events: async (args: Args) => {
      failIfHistoryBroken(run, ctx);
      return run.eventsPattern
        ? ctx.patterns.lines(run.eventsPattern, int(args.samples))
        : sampleEvenly(await ctx.store.readRows(run, 'wandb-events.jsonl'), int(args.samples));
    },
    history: async (args: Args) => {
      failIfHistoryBroken(run, ctx);
      return history(run, ctx, args);
    },
    historyKeys: () => null,
    files: async (args: Args) => {
      const names = Array.isArray(args.names) ? args.names.filter((n) => typeof n === 'string') : null;
      const all = await runFiles(run, ctx);
      const picked = names && names.length > 0 ? all.filter((f) => names.includes(f.name)) : all;
      return {
        ...paginate(picked, { first: int(args.first), after: str(args.after) }, (f) => f),
        uploadHeaders: [],
      };
    },
    outputArtifacts: (args: Args) => {
      const mine = ctx.store
        .artifacts()
        .filter((a) => a.entity === run.entity && a.project === run.project && a.runName === run.name);
      return paginate(mine, { first: int(args.first), after: str(args.after) }, (a) => artifactView(a, ctx));
    },
  };
}

function failIfHistoryBroken(run: RunRec, ctx: GqlContext): void {
  if (ctx.failingHistory?.has(run.name)) {
    throw new HistoryLoadingError(
      `run not found for history loading: ${run.entity}/${run.project}/${run.name}`,
    );
  }
}

async function history(run: RunRec, ctx: GqlContext, args: Args): Promise<string[]> {
  const lines = await ctx.store.readRows(run, 'wandb-history.jsonl');
  const minStep = int(args.minStep);
  const maxStep = int(args.maxStep);
  const inRange =
    minStep === null && maxStep === null
      ? lines
      : lines.filter((line) => {
          const step = (JSON.parse(line) as { _step?: number })._step ?? 0;
          return (minStep === null || step >= minStep) && (maxStep === null || step < maxStep);
        });
  return sampleEvenly(inRange, int(args.samples));
}

/** Uploaded files plus the line streams W&B also lists as files (wandb-events.jsonl, …). */
async function runFiles(run: RunRec, ctx: GqlContext) {
  const uploaded = Object.values(run.files).map((f) => ({
    id: Buffer.from(`File:${run.name}:${f.name}`).toString('base64'),
    name: f.name,
    displayName: f.name,
    url: () => runFileUrl(ctx, run, f.name),
    directUrl: runFileDirectUrl(ctx, run, f.name),
    sizeBytes: f.size,
    md5: f.md5,
    digest: f.md5,
    mimetype: null,
    updatedAt: formatWandbDate(f.updatedAt),
    createdAt: formatWandbDate(f.updatedAt),
    uploadHeaders: [],
    uploadUrl: null,
    storagePath: null,
    artifact: null,
  }));
  const streams = await Promise.all(
    LINE_FILES.filter((file) => run.lineCounts[file] > 0).map(async (file) => lineFileNode(run, ctx, file)),
  );
  return [...uploaded, ...streams].sort((a, b) => (a.name < b.name ? -1 : 1));
}

async function lineFileNode(run: RunRec, ctx: GqlContext, file: LineFile) {
  const path = ctx.store.disk.linesFile(run.entity, run.project, run.name, file);
  const size = await stat(path).then(
    (s) => s.size,
    (error: unknown) => {
      if (isNotFound(error)) return 0;
      throw error;
    },
  );
  return {
    id: Buffer.from(`File:${run.name}:${file}`).toString('base64'),
    name: file,
    displayName: file,
    url: () => runFileUrl(ctx, run, file),
    // Line streams change while a run is live, so their signed link names the file, not its content.
    directUrl: runFileDirectUrl(ctx, run, file),
    sizeBytes: size,
    md5: null,
    digest: null,
    mimetype: null,
    updatedAt: formatWandbDate(run.heartbeatAt),
    createdAt: formatWandbDate(run.createdAt),
    uploadHeaders: [],
    uploadUrl: null,
    storagePath: null,
    artifact: null,
  };
}
