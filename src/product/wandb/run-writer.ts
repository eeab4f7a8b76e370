import { z } from 'zod';
import { type Clock, systemClock } from '../shared/clock.js';
import { sha256Hex } from '../shared/hash.js';
import type { RunPath, WandbClient } from './client.js';
import { WandbResponseError } from './errors.js';
import { parseData } from './json.js';
import { CREATE_RUN_FILES, NOTIFY_ALERT, UPSERT_BUCKET, UPSERT_BUCKET_TAGS } from './queries.js';
import { listRuns, type RunNode } from './runs.js';
import { parseUploadHeaders } from './signed-upload.js';

// What wandb.init / log / alert / finish send on the wire (docs/wandb-protocol.md §6-docs/wandb-protocol.md §10).

const RUN_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A new run id: 8 chars of [a-z0-9], as both SDKs make them (docs/wandb-protocol.md §6.2). */
export function generateRunId(random: () => number): string {
  return Array.from({ length: 8 }, () => RUN_ID_ALPHABET[Math.floor(random() * 36) % 36]).join('');
}

/**
 * A run id derived from a key (8 hex chars, valid in W&B's [a-z0-9] alphabet): a rerun with the
 * same key writes into the same run (upsert) instead of leaving a second one behind.
 */
export function deterministicRunId(key: string): string {
  return sha256Hex(key).slice(0, 8);
}

type CreateRunOptions = {
  entity: string;
  project: string;
  /** 8 chars [a-z0-9]; generated with `random` when absent. */
  runId?: string;
  displayName: string;
  jobType?: string;
  tags: readonly string[];
  config?: Record<string, unknown>;
  random?: () => number;
};

const bucketSchema = z.object({
  upsertBucket: z.object({ bucket: z.object({ id: z.string(), name: z.string() }) }).nullable(),
});
const tagsSchema = z.object({
  upsertBucket: z
    .object({ bucket: z.object({ id: z.string(), tags: z.array(z.string()).nullish() }) })
    .nullable(),
});

/**
 * Config values wrapped as the Python SDK stores them, `{key: {value}}` (docs/wandb-protocol.md §4.3), so
 * W&B's UI, `config.<key>.value` filters and the Python public API read them as plain values.
 */
export function wrappedConfig(values: Readonly<Record<string, unknown>>): Record<string, { value: unknown }> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value }]));
}

/** Creates (or resumes) a run with upsertBucket; returns its storage ID and run id. */
export async function createRun(
  client: WandbClient,
  options: CreateRunOptions,
): Promise<{ id: string; runId: string }> {
  const runId = options.runId ?? generateRunId(options.random ?? Math.random);
  const data = await client.graphql<unknown>('UpsertBucket', UPSERT_BUCKET, {
    entity: options.entity,
    project: options.project,
    name: runId,
    displayName: options.displayName,
    tags: [...options.tags],
    ...(options.jobType === undefined ? {} : { jobType: options.jobType }),
    ...(options.config === undefined ? {} : { config: JSON.stringify(options.config) }),
  });
  const bucket = parseData('UpsertBucket', bucketSchema, data).upsertBucket?.bucket;
  if (!bucket) throw new WandbResponseError('UpsertBucket', 'upsertBucket returned no bucket');
  return { id: bucket.id, runId: bucket.name };
}

/** Replaces a run's tags; sends only `{id, tags}` so nothing else on the run changes (docs/wandb-protocol.md §6.3). */
export async function setRunTags(
  client: WandbClient,
  storageId: string,
  tags: readonly string[],
): Promise<void> {
  const data = await client.graphql<unknown>('UpsertBucket', UPSERT_BUCKET_TAGS, {
    id: storageId,
    tags: [...tags],
  });
  if (!parseData('UpsertBucket', tagsSchema, data).upsertBucket) {
    throw new WandbResponseError('UpsertBucket', 'upsertBucket returned no bucket');
  }
}

const runFilesSchema = z.object({
  createRunFiles: z.object({
    runID: z.string().min(1),
    uploadHeaders: z.array(z.string()).nullish(),
    files: z.array(z.object({ name: z.string(), uploadUrl: z.string().nullish() })),
  }),
});

/**
 * createRunFiles, then PUT each file to its signed URL (`uploadUrl: null` means already stored: skipped).
 * Returns the names to list in the file stream's `uploaded`.
 */
export async function uploadRunFiles(
  client: WandbClient,
  run: RunPath,
  files: readonly { name: string; body: Buffer | string }[],
): Promise<string[]> {
  if (files.length === 0) return [];
  const data = await client.graphql<unknown>('CreateRunFiles', CREATE_RUN_FILES, {
    entity: run.entity,
    project: run.project,
    run: run.run,
    files: files.map((f) => f.name),
  });
  const result = parseData('CreateRunFiles', runFilesSchema, data).createRunFiles;
  const headers = parseUploadHeaders(result.uploadHeaders ?? []);
  const urls = new Map(result.files.map((f) => [f.name, f.uploadUrl ?? null]));
  await Promise.all(
    files.map(async (file) => {
      const url = urls.get(file.name);
      if (url === undefined)
        throw new WandbResponseError('CreateRunFiles', `no upload entry for ${file.name}`);
      if (url !== null) await client.upload(url, file.body, headers);
    }),
  );
  return files.map((f) => f.name);
}

type LogHistoryOptions = {
  clock?: Clock;
  /** Run start, epoch ms, for `_runtime`; defaults to now. */
  startedAtMs?: number;
  /** `_step` (and file-stream line offset) of the first row; default 0. */
  firstStep?: number;
  /** File names uploaded with uploadRunFiles, for `uploaded`. */
  uploaded?: readonly string[];
  /**
   * End the run in the same post (`complete`, `exitcode`): the current SDK folds its end into its last
   * data request (docs/wandb-protocol.md §7), so a run written in one go needs one post, not two.
   */
  finish?: { exitCode: number };
};

/**
 * One file-stream post: history rows (`_step`, `_runtime`, `_timestamp` added) and the full summary
 * (docs/wandb-protocol.md §7), and with `finish` the run's end as well.
 */
export async function logHistory(
  client: WandbClient,
  run: RunPath,
  rows: readonly object[],
  summary: object,
  options: LogHistoryOptions = {},
): Promise<void> {
  const nowMs = (options.clock ?? systemClock).now().getTime();
  const firstStep = options.firstStep ?? 0;
  const runtime = Math.max(0, (nowMs - (options.startedAtMs ?? nowMs)) / 1000);
  const stamp = (step: number) => ({ _step: step, _runtime: runtime, _timestamp: nowMs / 1000 });
  const lastStep = firstStep + Math.max(0, rows.length - 1);
  await client.fileStream(run, {
    files: {
      'wandb-history.jsonl': {
        offset: firstStep,
        content: rows.map((row, i) => JSON.stringify({ ...stamp(firstStep + i), ...row })),
      },
      'wandb-summary.json': {
        offset: 0,
        content: [JSON.stringify({ ...summary, ...stamp(lastStep), _wandb: { runtime } })],
      },
    },
    ...(options.uploaded?.length ? { uploaded: [...options.uploaded] } : {}),
    ...(options.finish ? { complete: true, exitcode: options.finish.exitCode } : {}),
  });
}

/** The last file-stream post: `{complete: true, exitcode}` (0 → finished, else failed). */
export async function finishRun(
  client: WandbClient,
  run: RunPath,
  exitCode: number,
  uploaded: readonly string[] = [],
): Promise<void> {
  await client.fileStream(run, {
    complete: true,
    exitcode: exitCode,
    ...(uploaded.length ? { uploaded: [...uploaded] } : {}),
  });
}

type Alert = {
  /** Under 64 characters; W&B drops a repeat of it on the same run within `waitDurationMs`. */
  title: string;
  text: string;
  severity: 'INFO' | 'WARN' | 'ERROR';
  /** Integer ms; default ALERT_WAIT_MS. */
  waitDurationMs?: number;
};

/**
 * The wait the Python SDK sends when none is given: 1 minute, always sent
 * (wandb/wandb wandb/sdk/wandb_run.py alert, `wait_duration or timedelta(minutes=1)`).
 */
const ALERT_WAIT_MS = 60_000;

const alertSchema = z.object({ notifyScriptableRunAlert: z.object({ success: z.boolean() }).nullable() });

/**
 * wandb.alert on an existing run. W&B answers success even when it drops the alert as a repeat of the
 * same title within the wait, so callers give each alert a title of its own.
 */
export async function sendAlert(client: WandbClient, run: RunPath, alert: Alert): Promise<void> {
  const data = await client.graphql<unknown>('NotifyScriptableRunAlert', NOTIFY_ALERT, {
    entityName: run.entity,
    projectName: run.project,
    runName: run.run,
    title: alert.title,
    text: alert.text,
    severity: alert.severity,
    // parity: the Python SDK always sends waitDuration, as int(ms) (the Duration scalar takes integers).
    waitDuration: Math.trunc(alert.waitDurationMs ?? ALERT_WAIT_MS),
  });
  if (parseData('NotifyScriptableRunAlert', alertSchema, data).notifyScriptableRunAlert?.success !== true) {
    throw new WandbResponseError('NotifyScriptableRunAlert', 'the alert was not accepted');
  }
}

/** Runs carrying `tag` (`{"tags": {"$in": [tag]}}`), e.g. the ones holding `latest`. */
export async function listRunsByTag(
  client: WandbClient,
  entity: string,
  project: string,
  tag: string,
): Promise<RunNode[]> {
  return listRuns(client, { entity, project, filters: { tags: { $in: [tag] } } });
}

/** A media file of a run (a W&B Table, an HTML page) and the reference its history key holds. */
export type MediaFile = { readonly path: string; readonly body: string; readonly ref: object };

/**
 * Uploads each file and logs one history row holding each reference under its key, as the summary too,
 * and ends the run: one post after the uploads (docs/wandb-protocol.md §7, §9).
 */
export async function logMediaAndFinish(
  client: WandbClient,
  run: RunPath,
  files: readonly (readonly [string, MediaFile])[],
): Promise<void> {
  const uploaded = await uploadRunFiles(
    client,
    run,
    files.map(([, f]) => ({ name: f.path, body: f.body })),
  );
  const row = Object.fromEntries(files.map(([key, f]) => [key, f.ref]));
  await logHistory(client, run, [row], row, { uploaded, finish: { exitCode: 0 } });
}
