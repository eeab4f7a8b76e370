import { z } from 'zod';
import type { WandbClient } from './client.js';
import { isRefusedQuery, WandbResponseError } from './errors.js';
import { parseData, parseJsonString } from './json.js';
import { RUN_EVENTS, RUN_EVENTS_BATCH, runEventsBatchQuery } from './queries.js';

const eventsSchema = z.object({ events: z.array(z.string()) });
const batchSchema = z.record(z.string(), z.record(z.string(), eventsSchema.nullable()).nullable());
const runEventsSchema = z.object({ project: z.object({ run: eventsSchema.nullable() }).nullable() });

/** Runs' worth of samples per request (wandb-protocol.md §5.4: small batches, e.g. ≤ 10 runs). */
export const EVENTS_BATCH_RUNS = 10;
/** Runs per request at most, however short: bounds the query text and the runs W&B reads per request. */
export const EVENTS_BATCH_MAX_RUNS = 50;

/** A run whose events to fetch; `lines` is its `eventsLineCount` when known. */
export type EventsRun = {
  readonly entity: string;
  readonly project: string;
  readonly run: string;
  readonly lines?: number | null | undefined;
};

export type EventBatchOptions = {
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
 * System-metric rows (`events(samples)`) of one batch in one aliased query (§5.4), in the batch's order; a
 * missing run gives []. A batch rejected with a non-retryable GraphQL/HTTP error is fetched again one run
 * per request.
 */
export async function fetchEventsBatch(
  client: WandbClient,
  batch: readonly EventsRun[],
  samples: number,
): Promise<Record<string, unknown>[][]> {
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
  try {
    const data = await client.graphql<unknown>(
      RUN_EVENTS_BATCH,
      runEventsBatchQuery(groups.map((g) => g.count)),
      variables,
    );
    const projects = parseData(RUN_EVENTS_BATCH, batchSchema, data);
    const out: Record<string, unknown>[][] = [];
    let run = 0;
    groups.forEach((g, p) => {
      const project = projects[`q${p}`];
      for (let k = 0; k < g.count; k += 1, run += 1) {
        out.push(parseEvents(RUN_EVENTS_BATCH, project?.[`r${run}`]?.events ?? []));
      }
    });
    return out;
  } catch (error) {
    if (!isRefusedQuery(error) || batch.length === 1) throw error;
    return Promise.all(batch.map((run) => fetchRunEvents(client, run, samples)));
  }
}

export type FetchEventsOptions = {
  entity: string;
  project: string;
  /** Run ids (GraphQL `name`). */
  runs: string[];
  samples: number;
  /** Runs per request; default EVENTS_BATCH_RUNS. */
  batchSize?: number;
};

/** Events of several runs of one project, by run id (see fetchEventsBatch). */
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
      out.set(run.run, results[b]?.[i] ?? []);
    });
  });
  return out;
}

async function fetchRunEvents(
  client: WandbClient,
  run: EventsRun,
  samples: number,
): Promise<Record<string, unknown>[]> {
  const data = await client.graphql<unknown>('RunFullHistory', RUN_EVENTS, {
    entity: run.entity,
    project: run.project,
    name: run.run,
    samples,
  });
  return parseEvents(
    'RunFullHistory',
    parseData('RunFullHistory', runEventsSchema, data).project?.run?.events ?? [],
  );
}

/** Each line must hold a JSON object; checked by hand (millions of rows: a schema per row costs too much). */
function parseEvents(operation: string, lines: readonly string[]): Record<string, unknown>[] {
  return lines.map((line) => {
    const row = parseJsonString(operation, line);
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new WandbResponseError(operation, 'an events line is not a JSON object');
    }
    return row as Record<string, unknown>;
  });
}
