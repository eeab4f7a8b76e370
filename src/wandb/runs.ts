import { z } from 'zod';
import type { WandbClient } from './client.js';
import { parseData, parseJsonString } from './json.js';
import { collectPages } from './pagination.js';
import { PROJECTS, RUN, RUNS } from './queries.js';

export { type FetchEventsOptions, fetchEvents } from './events.js';

export type RunInfo = { gpu: string | null; gpuCount: number | null; cpuCount: number | null };

/** A run as GraphQL returns it; `name` is the run id, `id` the storage ID; times are W&B's UTC strings. */
export type RunNode = {
  id: string;
  name: string;
  displayName: string | null;
  description?: string | null;
  state: string | null;
  tags: string[];
  host: string | null;
  createdAt: string;
  updatedAt: string | null;
  heartbeatAt: string | null;
  runInfo: RunInfo | null;
  /** JSON-parsed `config` (Python-wrapped `{key: {value}}` or unwrapped, as stored). */
  config: unknown;
  /** JSON-parsed `summaryMetrics`. */
  summaryMetrics: unknown;
};

export type ListRunsOptions = {
  entity: string;
  project: string;
  /** A W&B filter object (Mongo-like, wandb-protocol.md §4.5); sent as a JSON string. */
  filters?: object;
  /** `+created_at` by default. */
  order?: string;
  /** Default 1000, as the Python original pages. */
  perPage?: number;
};

const pageInfo = z.object({ endCursor: z.string().nullish(), hasNextPage: z.boolean() });
const runNodeSchema = z.object({
  id: z.string(),
  name: z.string(),
  displayName: z.string().nullish(),
  description: z.string().nullish(),
  state: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  host: z.string().nullish(),
  createdAt: z.string(),
  updatedAt: z.string().nullish(),
  heartbeatAt: z.string().nullish(),
  runInfo: z
    .object({
      gpu: z.string().nullish(),
      gpuCount: z.number().int().nullish(),
      cpuCount: z.number().int().nullish(),
    })
    .nullish(),
  config: z.string().nullish(),
  summaryMetrics: z.string().nullish(),
});
const runsSchema = z.object({
  project: z
    .object({
      runs: z.object({ edges: z.array(z.object({ node: runNodeSchema })), pageInfo }).nullish(),
    })
    .nullable(),
});
const projectsSchema = z.object({
  models: z
    .object({
      edges: z.array(z.object({ node: z.object({ name: z.string(), createdAt: z.string() }).nullable() })),
      pageInfo,
    })
    .nullish(),
});
const runSchema = z.object({
  project: z.object({ run: z.object({ id: z.string() }).nullable() }).nullable(),
});

/** Projects of an entity (`models`, 200 per page); an unknown entity gives []. */
export async function listProjects(
  client: WandbClient,
  entity: string,
): Promise<{ name: string; createdAt: string }[]> {
  return collectPages(async (cursor) => {
    const data = await client.graphql<unknown>('Projects', PROJECTS, { entity, cursor, perPage: 200 });
    const { models } = parseData('Projects', projectsSchema, data);
    if (!models) return { nodes: [], endCursor: null, hasNextPage: false };
    const nodes = models.edges.flatMap((e) =>
      e.node ? [{ name: e.node.name, createdAt: e.node.createdAt }] : [],
    );
    return { nodes, endCursor: models.pageInfo.endCursor ?? null, hasNextPage: models.pageInfo.hasNextPage };
  });
}

/** Every run of a project matching `filters`; a missing project gives []. */
export async function listRuns(client: WandbClient, options: ListRunsOptions): Promise<RunNode[]> {
  const base = {
    entity: options.entity,
    project: options.project,
    perPage: options.perPage ?? 1000,
    order: options.order ?? '+created_at',
    filters: JSON.stringify(options.filters ?? {}),
  };
  return collectPages(async (cursor) => {
    const data = await client.graphql<unknown>('Runs', RUNS, { ...base, cursor });
    const runs = parseData('Runs', runsSchema, data).project?.runs;
    if (!runs) return { nodes: [], endCursor: null, hasNextPage: false };
    return {
      nodes: runs.edges.map((e) => toRunNode(e.node)),
      endCursor: runs.pageInfo.endCursor ?? null,
      hasNextPage: runs.pageInfo.hasNextPage,
    };
  });
}

function toRunNode(node: z.infer<typeof runNodeSchema>): RunNode {
  const info = node.runInfo;
  return {
    id: node.id,
    name: node.name,
    displayName: node.displayName ?? null,
    description: node.description ?? null,
    state: node.state ?? null,
    tags: node.tags ?? [],
    host: node.host ?? null,
    createdAt: node.createdAt,
    updatedAt: node.updatedAt ?? null,
    heartbeatAt: node.heartbeatAt ?? null,
    runInfo: info
      ? { gpu: info.gpu ?? null, gpuCount: info.gpuCount ?? null, cpuCount: info.cpuCount ?? null }
      : null,
    config: node.config ? parseJsonString('Runs', node.config) : {},
    summaryMetrics: node.summaryMetrics ? parseJsonString('Runs', node.summaryMetrics) : {},
  };
}

/** Whether `entity/project/runId` exists (`project.run != null`). */
export async function runExists(
  client: WandbClient,
  entity: string,
  project: string,
  runId: string,
): Promise<boolean> {
  const data = await client.graphql<unknown>('Run', RUN, { entity, project, name: runId });
  return parseData('Run', runSchema, data).project?.run != null;
}
