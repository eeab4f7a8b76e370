import { z } from 'zod';
import type { WandbClient } from './client.js';
import {
  isRefusedQuery,
  type WandbError,
  WandbHttpError,
  WandbResponseError,
  WandbTimeoutError,
} from './errors.js';
import { parseData, parseJsonString } from './json.js';
import { RUN_EVENTS, RUN_EVENTS_BATCH, runEventsBatchQuery } from './queries.js';

const eventsSchema = z.object({ events: z.array(z.string()) });
const batchSchema = z.record(z.string(), z.record(z.string(), eventsSchema.nullable()).nullable());
const runEventsSchema = z.object({ project: z.object({ run: eventsSchema.nullable() }).nullable() });

/** Runs' worth of samples per request (docs/wandb-protocol.md §5.4: small batches, e.g. ≤ 10 runs). */
const EVENTS_BATCH_RUNS = 10;
/** Runs per request at most, however short: bounds the query text and the runs W&B reads per request. */
const EVENTS_BATCH_MAX_RUNS = 50;

/** A run whose events to fetch; `lines` is its `eventsLineCount` when known. */
export type EventsRun = {
  readonly entity: string;
  readonly project: string;
  readonly run: string;
  readonly lines?: number | null | undefined;
};

type EventBatchOptions = {
  samples: number;
  /** Sampled lines per request: `batchSize × samples`; default EVENTS_BATCH_RUNS. */
  batchSize?: number;
};

/**
 * Groups runs (in order) into requests of at most `batchSize × samples` sampled lines, a run counting
 * min(lines, samples) (samples when unknown, 1 when empty), and at most EVENTS_BATCH_MAX_RUNS runs. Without
 * line counts this is `batchSize` runs per request; short runs pack more densely for the same response size.
 */
export function planEventBatches<R extends EventsRun>(runs: readonly R[], options: EventBatchOptions): R[][] {
  const samples = Math.max(1, options.samples);
  const budget = Math.max(1, options.batchSize ?? EVENTS_BATCH_RUNS) * samples;
  const batches: R[][] = [];
  let current: R[] = [];
  let used = 0;
  for (const run of runs) {
    const weight = Math.max(1, Math.min(samples, run.lines ?? samples));
    if (current.length > 0 && (used + weight > budget || current.length >= EVENTS_BATCH_MAX_RUNS)) {
      batches.push(current);
      current = [];
      used = 0;
    }
    current.push(run);
    used += weight;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * One run's system-metric lines (JSON objects as W&B sends them, parsed by eventRows as they are read), or
 * the error that left them unreadable after retries and bisection.
 */
export type EventsAnswer = { readonly lines: readonly string[]; readonly error?: WandbError };

/**
 * System-metric lines (`events(samples)`) of one batch in one aliased query, in the batch's order; a
 * missing run gives no lines. A batch that still fails after the client's retries (5xx, a timeout) or that
 * W&B refuses is split in halves, down to one run per request, so one run whose history W&B cannot load
 * (it answers HTTP 500 for good for some runs: wandb/wandb issues 4605 and 8291) costs only that run's
 * metrics: its answer carries the error instead. Auth and network failures stop the job as before.
 */
export async function fetchEventsBatch(
  client: WandbClient,
  batch: readonly EventsRun[],
  samples: number,
): Promise<EventsAnswer[]> {
  try {
    return (await fetchAliased(client, batch, samples)).map((lines) => ({ lines }));
  } catch (error) {
    if (!isRunFailure(error)) throw error;
    // A lone run's fault is its own; a refusal may be of the aliased form, so the plain query gets a try.
    if (batch.length === 1 && !isRefusedQuery(error)) return [{ lines: [], error }];
    if (batch.length === 1) return [await fetchOne(client, batch[0]!, samples)];
    const half = Math.ceil(batch.length / 2);
    const parts = await Promise.all(
      [batch.slice(0, half), batch.slice(half)].map((part) =>
        part.length === 1
          ? fetchOne(client, part[0]!, samples).then((a) => [a])
          : fetchEventsBatch(client, part, samples),
      ),
    );
    return parts.flat();
  }
}

/** One run with the plain (unaliased) query, as the Python SDK asks for it. */
async function fetchOne(client: WandbClient, run: EventsRun, samples: number): Promise<EventsAnswer> {
  try {
    return { lines: await fetchRunEvents(client, run, samples) };
  } catch (error) {
    if (!isRunFailure(error)) throw error;
    return { lines: [], error };
  }
}

/**
 * Failures that may belong to one run of a batch: a server fault or timeout that outlived the retries,
 * a refused query, an unreadable answer. Not: a rejected key, or no connection at all.
 */
function isRunFailure(error: unknown): error is WandbError {
  if (isRefusedQuery(error) || error instanceof WandbTimeoutError || error instanceof WandbResponseError) {
    return true;
  }
  return error instanceof WandbHttpError && error.status >= 500;
}

async function fetchAliased(
  client: WandbClient,
  batch: readonly EventsRun[],
  samples: number,
): Promise<(readonly string[])[]> {
  const groups: { entity: string; project: string; count: number }[] = [];
  for (const run of batch) {
    const last = groups.at(-1);
    if (last && last.entity === run.entity && last.project === run.project) last.count += 1;
    else groups.push({ entity: run.entity, project: run.project, count: 1 });
  }
  const variables: Record<string, unknown> = { samples };
  groups.forEach((g, p) => {
    variables[`e${p}`] = g.entity;
    variables[`p${p}`] = g.project;
  });
  batch.forEach((run, i) => {
    variables[`n${i}`] = run.run;
  });
  const data = await client.graphql<unknown>(
    RUN_EVENTS_BATCH,
    runEventsBatchQuery(groups.map((g) => g.count)),
    variables,
  );
  const projects = parseData(RUN_EVENTS_BATCH, batchSchema, data);
  const out: (readonly string[])[] = [];
  let run = 0;
  groups.forEach((g, p) => {
    const project = projects[`q${p}`];
    for (let k = 0; k < g.count; k += 1, run += 1) out.push(project?.[`r${run}`]?.events ?? []);
  });
  return out;
}

type FetchEventsOptions = {
  entity: string;
  project: string;
  /** Run ids (GraphQL `name`). */
  runs: string[];
  samples: number;
  /** Runs per request; default EVENTS_BATCH_RUNS. */
  batchSize?: number;
};

/** Events of several runs of one project, by run id (see fetchEventsBatch); a run that cannot be read throws. */
export async function fetchEvents(
  client: WandbClient,
  options: FetchEventsOptions,
): Promise<Map<string, Record<string, unknown>[]>> {
  const runs = [...new Set(options.runs)].map((run) => ({
    entity: options.entity,
    project: options.project,
    run,
  }));
  const batches = planEventBatches(runs, {
    samples: options.samples,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
  });
  const results = await Promise.all(batches.map((batch) => fetchEventsBatch(client, batch, options.samples)));
  const out = new Map<string, Record<string, unknown>[]>();
  batches.forEach((batch, b) => {
    batch.forEach((run, i) => {
      const answer = results[b]?.[i];
      if (answer?.error) throw answer.error;
      out.set(run.run, [...eventRows(answer?.lines ?? [])]);
    });
  });
  return out;
}

async function fetchRunEvents(
  client: WandbClient,
  run: EventsRun,
  samples: number,
): Promise<readonly string[]> {
  const data = await client.graphql<unknown>('RunFullHistory', RUN_EVENTS, {
    entity: run.entity,
    project: run.project,
    name: run.run,
    samples,
  });
  return parseData('RunFullHistory', runEventsSchema, data).project?.run?.events ?? [];
}

/**
 * The rows of a run's events lines, each parsed only when it is read: a caller that folds them as it goes
 * keeps one row alive at a time instead of a whole batch (a programme's night is millions of rows). A line
 * that is not a JSON object is a WandbResponseError, thrown where it is read.
 */
export function* eventRows(lines: readonly string[]): Generator<Record<string, unknown>, void, undefined> {
  for (const line of lines) {
    const row = parseJsonString(RUN_EVENTS_BATCH, line);
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new WandbResponseError(RUN_EVENTS_BATCH, 'an events line is not a JSON object');
    }
    yield row as Record<string, unknown>;
  }
}
