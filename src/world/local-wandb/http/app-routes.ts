import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '../../../product/shared/logger.js';
import type { PatternEvents } from '../files/events-pattern.js';
import { applyFileStream } from '../files/file-stream.js';
import type { UrlSigner } from '../files/signed-urls.js';
import { applyUpload } from '../files/upload.js';
import type { UploadRegistry } from '../files/upload-targets.js';
import type { GqlContext } from '../graphql/context.js';
import { executeGraphql, prepareGraphql } from '../graphql/endpoint.js';
import { PROJECT_VIEWS } from '../graphql/views/project.js';
import type { Store } from '../store/store.js';
import { parseJson, send, sendJson } from './http-util.js';

/**
 * One request, routed: the operation /_local/stats counts it under and the work that answers it
 * (resolving to the bytes sent). Auth is checked before routing, faults before `handle`.
 */
export type Route = { operation: string; handle: () => Promise<number> };

/** Runs a task alone: writes go one at a time, in arrival order. */
export type Exclusive = <T>(task: () => Promise<T>) => Promise<T>;

/** What route handlers use: the server's state and collaborators, and the write lock. */
export type RouteContext = {
  store: Store;
  schema: GraphQLSchema;
  uploads: UploadRegistry;
  signer: UrlSigner;
  /** Run ids whose history and events always fail with HTTP 500. */
  failingHistory?: ReadonlySet<string> | undefined;
  /** Event lines of pattern-seeded runs, one for the server (it keeps the zones' clocks). */
  patterns: PatternEvents;
  log: Logger;
  exclusive: Exclusive;
};

/** A run addressed by path: `/files/<entity>/<project>/<run>/…`. */
export type RunPath = { entity: string; project: string; run: string };

/**
 * POST /graphql. The body is parsed and validated while routing, so a rejected query is logged and
 * answered (400) without running; mutations run under the write lock, queries do not.
 */
export function graphqlRoute(ctx: RouteContext, body: Buffer, baseUrl: string, res: ServerResponse): Route {
  const json = parseJson(body);
  const prepared = prepareGraphql(ctx.schema, json);
  if (!prepared.ok) {
    const { result } = prepared;
    // Newer clients query fields the 2023 schema lacks; logging them shows what to add.
    const query =
      typeof json === 'object' && json !== null && 'query' in json ? String(json.query).slice(0, 2000) : '';
    ctx.log.warn('local_wandb.graphql_rejected', {
      operation: result.operation,
      errors: result.body,
      query,
    });
    return {
      operation: result.operation,
      handle: async () => sendJson(res, result.status, result.body),
    };
  }
  const gqlContext: GqlContext = {
    store: ctx.store,
    uploads: ctx.uploads,
    signer: ctx.signer,
    baseUrl,
    failingHistory: ctx.failingHistory,
    patterns: ctx.patterns,
    projectViews: PROJECT_VIEWS,
  };
  const run = async () => {
    const result = await executeGraphql(ctx.schema, prepared, json as Record<string, unknown>, gqlContext);
    if (result.status !== 200)
      ctx.log.warn('local_wandb.graphql_failed', { status: result.status, body: result.body });
    return sendJson(res, result.status, result.body);
  };
  return {
    operation: prepared.operation,
    handle: () => (prepared.isMutation ? ctx.exclusive(run) : run()),
  };
}

/** POST /files/<entity>/<project>/<run>/file_stream: lines, summary and state of a run (docs/wandb-protocol.md §7). */
export function fileStreamRoute(ctx: RouteContext, path: RunPath, body: Buffer, res: ServerResponse): Route {
  return {
    operation: 'file_stream',
    handle: () =>
      ctx.exclusive(async () => {
        const rec = ctx.store.run(path.entity, path.project, path.run);
        if (!rec) return sendJson(res, 404, { error: 'run not found' });
        await applyFileStream(ctx.store, rec, parseJson(body));
        return sendJson(res, 200, {});
      }),
  };
}

/**
 * PUT /_local/upload/<token>: the stand-in for a signed storage URL, so its signature stands in for W&B
 * auth (docs/wandb-protocol.md §1.2). The token names what the bytes become; its headers are recorded.
 */
export function uploadRoute(
  ctx: RouteContext,
  token: string,
  body: Buffer,
  headers: IncomingHttpHeaders,
  res: ServerResponse,
): Route {
  return {
    operation: 'upload',
    handle: () =>
      ctx.exclusive(async () => {
        const target = ctx.uploads.take(token);
        if (!target) return sendJson(res, 404, { error: 'unknown upload url' });
        ctx.uploads.record({ target, headers: flatHeaders(headers) });
        await applyUpload(ctx.store, target, body);
        return send(res, 200, '');
      }),
  };
}

export function notFoundRoute(res: ServerResponse): Route {
  return {
    operation: 'not_found',
    handle: async () => sendJson(res, 404, { error: 'not found' }),
  };
}

/** Request headers as one string each (repeated headers joined, as Node joins most of them). */
function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
