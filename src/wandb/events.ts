import { z } from 'zod';
import type { WandbClient } from './client.js';
import { WandbGraphqlError, WandbHttpError } from './errors.js';
import { parseData, parseJsonString } from './json.js';
import { RUN_EVENTS, RUN_EVENTS_BATCH, runEventsBatchQuery } from './queries.js';

const eventsSchema = z.object({ events: z.array(z.string()) });
const batchSchema = z.object({ project: z.record(z.string(), eventsSchema.nullable()).nullable() });
const runEventsSchema = z.object({ project: z.object({ run: eventsSchema.nullable() }).nullable() });

export type FetchEventsOptions = {
  entity: string;
  project: string;
  /** Run ids (GraphQL `name`). */
  runs: string[];
  samples: number;
  /** Runs per request; default 10 (wandb-protocol.md §5.4). */
  batchSize?: number;
};

/**
 * System-metric rows (`events(samples)`) of several runs: one aliased query per batch; a batch that fails
 * with a non-retryable GraphQL/HTTP error is fetched again one run per request. A missing run gives [].
 */
export async function fetchEvents(
  client: WandbClient,
  options: FetchEventsOptions,
): Promise<Map<string, Record<string, unknown>[]>> {
  const runs = [...new Set(options.runs)];
  const size = Math.max(1, options.batchSize ?? 10);
  const batches = Array.from({ length: Math.ceil(runs.length / size) }, (_, i) =>
    runs.slice(i * size, (i + 1) * size),
  );
  const results = await Promise.all(batches.map((batch) => fetchBatch(client, options, batch)));
  const out = new Map<string, Record<string, unknown>[]>();
  for (const result of results) for (const [run, rows] of result) out.set(run, rows);
  return out;
}

async function fetchBatch(
  client: WandbClient,
  options: FetchEventsOptions,
  batch: string[],
): Promise<[string, Record<string, unknown>[]][]> {
  const variables: Record<string, unknown> = {
    entity: options.entity,
    project: options.project,
    samples: options.samples,
  };
  batch.forEach((run, i) => {
    variables[`n${i}`] = run;
  });
  try {
    const data = await client.graphql<unknown>(
      RUN_EVENTS_BATCH,
      runEventsBatchQuery(batch.length),
      variables,
    );
    const project = parseData(RUN_EVENTS_BATCH, batchSchema, data).project;
    return batch.map((run, i) => [run, parseEvents(RUN_EVENTS_BATCH, project?.[`r${i}`]?.events ?? [])]);
  } catch (error) {
    const isFallback =
      error instanceof WandbGraphqlError || (error instanceof WandbHttpError && !error.isRetryable);
    if (!isFallback || batch.length === 1) throw error;
    return Promise.all(batch.map(async (run) => [run, await fetchRunEvents(client, options, run)] as const));
  }
}

async function fetchRunEvents(
  client: WandbClient,
  options: FetchEventsOptions,
  run: string,
): Promise<Record<string, unknown>[]> {
  const data = await client.graphql<unknown>('RunFullHistory', RUN_EVENTS, {
    entity: options.entity,
    project: options.project,
    name: run,
    samples: options.samples,
  });
  return parseEvents(
    'RunFullHistory',
    parseData('RunFullHistory', runEventsSchema, data).project?.run?.events ?? [],
  );
}

const rowSchema = z.record(z.string(), z.unknown());

function parseEvents(operation: string, lines: readonly string[]): Record<string, unknown>[] {
  return lines.map((line) => parseData(operation, rowSchema, parseJsonString(operation, line)));
}
