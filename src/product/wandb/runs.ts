import { z } from 'zod';
import { parseWandbTime } from '../shared/dates.js';
import type { WandbClient } from './client.js';
import { isRefusedQuery } from './errors.js';
import { parseData, parseJsonString } from './json.js';
import { collectAliasedPages, collectPages, type Page, type PendingPage } from './pagination.js';
import {
  ENTITY_PROJECTS,
  entityProjectsQuery,
  PROJECT_RUNS,
  PROJECTS,
  projectRunsQuery,
  RUN,
  RUNS,
} from './queries.js';

export {
  type EventsAnswer,
  type EventsRun,
  eventRows,
  fetchEvents,
  fetchEventsBatch,
  planEventBatches,
} from './events.js';

type RunInfo = { gpu: string | null; gpuCount: number | null; cpuCount: number | null };

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
  /** The W&B user who ran it (`user { username }`); null when W&B gives none. */
  username: string | null;
  /** JSON-parsed `config` (Python-wrapped `{key: {value}}` or unwrapped, as stored). */
  config: unknown;
  /** JSON-parsed `summaryMetrics`. */
  summaryMetrics: unknown;
  /** Lines of the events stream (system metrics), when W&B reports it. */
  eventsLineCount: number | null;
};

type ListRunsOptions = {
  entity: string;
  project: string;
  /** A W&B filter object (Mongo-like, docs/wandb-protocol.md §4.5); sent as a JSON string. */
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
  user: z.object({ username: z.string().nullish() }).nullish(),
  config: z.string().nullish(),
  summaryMetrics: z.string().nullish(),
  eventsLineCount: z.number().int().nullish(),
});
const runConnection = z.object({ edges: z.array(z.object({ node: runNodeSchema })), pageInfo });
const runsSchema = z.object({ project: z.object({ runs: runConnection.nullish() }).nullable() });
const projectConnection = z.object({
  edges: z.array(z.object({ node: z.object({ name: z.string(), createdAt: z.string() }).nullable() })),
  pageInfo,
});
const projectsSchema = z.object({ models: projectConnection.nullish() });
const aliasedProjectsSchema = z.record(z.string(), projectConnection.nullish());
const aliasedRunsSchema = z.record(z.string(), z.object({ runs: runConnection.nullish() }).nullish());

/** Connections per aliased request (each answer holds at most this × the page size of nodes). */
const ALIASES_PER_REQUEST = 25;
/** Runs per page of each project in an aliased request (at most): ≤ 10,000 runs per answer. */
const ALIASED_RUNS_PER_PAGE = 400;

const runSchema = z.object({
  project: z.object({ run: z.object({ id: z.string() }).nullable() }).nullable(),
});

type ProjectInfo = { name: string; createdAt: string };

function projectPage(models: z.infer<typeof projectConnection> | null | undefined): Page<ProjectInfo> {
  if (!models) return { nodes: [], endCursor: null, hasNextPage: false };
  const nodes = models.edges.flatMap((e) =>
    e.node ? [{ name: e.node.name, createdAt: e.node.createdAt }] : [],
  );
  return { nodes, endCursor: models.pageInfo.endCursor ?? null, hasNextPage: models.pageInfo.hasNextPage };
}

function runPage(runs: z.infer<typeof runConnection> | null | undefined): Page<RunNode> {
  if (!runs) return { nodes: [], endCursor: null, hasNextPage: false };
  return {
    nodes: runs.edges.map((e) => toRunNode(e.node)),
    endCursor: runs.pageInfo.endCursor ?? null,
    hasNextPage: runs.pageInfo.hasNextPage,
  };
}

/** Projects of an entity (`models`, 200 per page); an unknown entity gives []. */
export async function listProjects(client: WandbClient, entity: string): Promise<ProjectInfo[]> {
  return collectPages(async (cursor) => {
    const data = await client.graphql<unknown>('Projects', PROJECTS, { entity, cursor, perPage: 200 });
    return projectPage(parseData('Projects', projectsSchema, data).models);
  });
}

/** Projects of several entities, a few entities per request (aliased `models`); in input order. */
export async function listProjectsOfEntities(
  client: WandbClient,
  entities: readonly string[],
): Promise<ProjectInfo[][]> {
  return collectAliasedPages(
    entities.length,
    ALIASES_PER_REQUEST,
    splitWhenRefused(async (batch) => {
      const variables: Record<string, unknown> = { perPage: 200 };
      batch.forEach((item, i) => {
        variables[`e${i}`] = entities[item.index];
        variables[`c${i}`] = item.cursor;
      });
      const data = await client.graphql<unknown>(
        ENTITY_PROJECTS,
        entityProjectsQuery(batch.length),
        variables,
      );
      const models = parseData(ENTITY_PROJECTS, aliasedProjectsSchema, data);
      return batch.map((_, i) => projectPage(models[`q${i}`]));
    }),
  );
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
    return runPage(parseData('Runs', runsSchema, data).project?.runs);
  });
}

type ProjectRunsQuery = {
  entity: string;
  project: string;
  filters?: object;
  /**
   * Epoch ms. With the order `-heartbeat_at`, paging this project stops at the first page holding a run
   * whose heartbeat is before it: every later page holds older heartbeats only.
   */
  heartbeatFrom?: number;
};

type ProjectRunsOptions = {
  order?: string;
  /** Runs per page at most; default ALIASED_RUNS_PER_PAGE. */
  perPage?: number;
  /** Runs on each project's first page; later pages grow fourfold up to perPage. Default perPage. */
  firstPage?: number;
};

/** W&B's order for "latest heartbeat first" (Python SDK `Api.runs` docstring lists `heartbeat_at`). */
export const HEARTBEAT_DESCENDING = '-heartbeat_at';

/**
 * Runs of several projects matching each one's filters, a few projects per request (aliased `project`
 * fields, each paged with its own cursor and page size); in input order, a missing project as [].
 */
export async function listRunsOfProjects(
  client: WandbClient,
  projects: readonly ProjectRunsQuery[],
  options: ProjectRunsOptions = {},
): Promise<RunNode[][]> {
  const order = options.order ?? '+created_at';
  const perPage = options.perPage ?? ALIASED_RUNS_PER_PAGE;
  const pageSize = (page: number) => Math.min(perPage, (options.firstPage ?? perPage) * 4 ** page);
  return collectAliasedPages(
    projects.length,
    ALIASES_PER_REQUEST,
    splitWhenRefused(async (batch) => {
      const variables: Record<string, unknown> = { order };
      batch.forEach((item, i) => {
        const project = projects[item.index]!;
        variables[`e${i}`] = project.entity;
        variables[`p${i}`] = project.project;
        variables[`f${i}`] = JSON.stringify(project.filters ?? {});
        variables[`c${i}`] = item.cursor;
        variables[`n${i}`] = pageSize(item.page);
      });
      const data = await client.graphql<unknown>(PROJECT_RUNS, projectRunsQuery(batch.length), variables);
      const answers = parseData(PROJECT_RUNS, aliasedRunsSchema, data);
      return batch.map((item, i) => {
        const page = runPage(answers[`q${i}`]?.runs);
        const from = projects[item.index]?.heartbeatFrom;
        return order === HEARTBEAT_DESCENDING && from !== undefined && reachesBefore(page.nodes, from)
          ? { ...page, hasNextPage: false }
          : page;
      });
    }),
  );
}

/**
 * Whether a page sorted by heartbeat (newest first) reaches a heartbeat before `from`. A run without a
 * heartbeat never stops paging: where W&B sorts missing values is undocumented, so such runs are not
 * counted (see toRunRecord in the tracker) and stopping before or after them loses nothing.
 */
function reachesBefore(nodes: readonly RunNode[], from: number): boolean {
  return nodes.some((n) => {
    const at = n.heartbeatAt === null ? undefined : parseWandbTime(n.heartbeatAt);
    return at !== undefined && at < from;
  });
}

type FetchRound<N> = (batch: readonly PendingPage[]) => Promise<Page<N>[]>;

/** An aliased request W&B refuses is sent again one connection per request. */
function splitWhenRefused<N>(fetchRound: FetchRound<N>): FetchRound<N> {
  return async (batch) => {
    try {
      return await fetchRound(batch);
    } catch (error) {
      if (!isRefusedQuery(error) || batch.length === 1) throw error;
      return (await Promise.all(batch.map((item) => fetchRound([item])))).flat();
    }
  };
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
    username: node.user?.username || null,
    config: node.config ? parseJsonString('Runs', node.config) : {},
    summaryMetrics: node.summaryMetrics ? parseJsonString('Runs', node.summaryMetrics) : {},
    eventsLineCount: node.eventsLineCount ?? null,
  };
}

/** Whether any run of `entity/project` matches `filters` (one request, a page of one). */
export async function hasRuns(
  client: WandbClient,
  options: { entity: string; project: string; filters: object },
): Promise<boolean> {
  const data = await client.graphql<unknown>('Runs', RUNS, {
    entity: options.entity,
    project: options.project,
    perPage: 1,
    order: '+created_at',
    filters: JSON.stringify(options.filters),
    cursor: null,
  });
  return (parseData('Runs', runsSchema, data).project?.runs?.edges.length ?? 0) > 0;
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
