import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '../../product/shared/logger.js';
import { artifactFileRoute, runFileRoute } from './app-file-routes.js';
import {
  fileStreamRoute,
  graphqlRoute,
  notFoundRoute,
  type Route,
  type RouteContext,
  uploadRoute,
} from './app-routes.js';
import { createPatternEvents } from './events-pattern.js';
import type { Fault } from './faults.js';
import { createMutex, hasApiKey, readBody, sendJson } from './http-util.js';
import type { StatsRecorder } from './stats.js';
import type { Store } from './store.js';
import type { UploadRegistry } from './uploads.js';

export type AppDeps = {
  store: Store;
  schema: GraphQLSchema;
  apiKey: string;
  uploads: UploadRegistry;
  stats: StatsRecorder;
  latencyMs: number;
  /** Run ids whose history and events always fail with HTTP 500. */
  failingHistory?: ReadonlySet<string> | undefined;
  /** Draws the fault (if any) for the next GraphQL/file request; absent when faults are off. */
  nextFault: (() => Fault | undefined) | undefined;
  sleep: (ms: number) => Promise<void>;
  log: Logger;
};

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const UNAUTHORIZED = { errors: [{ message: 'user is not logged in' }] };

/** The request handler: routes only, no listening (listen.ts owns the socket). */
export function createApp(deps: AppDeps): RequestHandler {
  const ctx: RouteContext = {
    store: deps.store,
    schema: deps.schema,
    uploads: deps.uploads,
    failingHistory: deps.failingHistory,
    patterns: createPatternEvents(),
    log: deps.log,
    exclusive: createMutex(),
  };
  return (req, res) => handleRequest(deps, ctx, req, res);
}

/**
 * Every request but the /_local inspection GETs: route, simulated latency, stats, injected fault,
 * auth, then the route's handler; a handler that throws answers 500.
 */
async function handleRequest(
  deps: AppDeps,
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { stats } = deps;
  const path = requestPath(req);
  const baseUrl = `http://${req.headers.host ?? 'localhost'}`;
  if (req.method === 'GET' && serveInspection(deps, path, res)) return;
  const body = req.method === 'POST' || req.method === 'PUT' ? await readBody(req) : Buffer.alloc(0);
  const route = routeOf(ctx, req, path, body, baseUrl, res);
  if (deps.latencyMs > 0) await deps.sleep(deps.latencyMs);
  stats.count(route.operation, body.length);
  const fault = deps.nextFault?.();
  if (fault) {
    stats.fault(fault.kind === 'status' ? String(fault.status) : fault.kind);
    return void injectFault(res, fault);
  }
  if (route.needsAuth && !hasApiKey(req, deps.apiKey)) {
    return void stats.served(sendJson(res, 401, UNAUTHORIZED, { 'WWW-Authenticate': 'Basic realm="wandb"' }));
  }
  try {
    stats.served(await route.handle());
  } catch (error) {
    deps.log.error('local_wandb.request_failed', { path, error });
    if (!res.headersSent) stats.served(sendJson(res, 500, { error: 'An internal error occurred.' }));
  }
}

/**
 * The request path with leading slashes collapsed. JS SDK builds `${base}/graphql`, so a base URL with a
 * trailing slash yields //graphql (docs/wandb-protocol.md §1.1); `new URL` would read that as a host, so
 * the path is cut from the raw request target.
 */
function requestPath(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0]?.replace(/^\/+/, '/') ?? '/';
}

/** GET /_local/stats, /_local/alerts, /_local/uploads: what tests inspect; uncounted, no auth, no faults. */
function serveInspection(deps: AppDeps, path: string, res: ServerResponse): boolean {
  if (path === '/_local/stats') sendJson(res, 200, deps.stats.snapshot());
  else if (path === '/_local/alerts') sendJson(res, 200, deps.store.alerts());
  else if (path === '/_local/uploads') sendJson(res, 200, deps.uploads.received());
  else return false;
  return true;
}

function routeOf(
  ctx: RouteContext,
  req: IncomingMessage,
  path: string,
  body: Buffer,
  baseUrl: string,
  res: ServerResponse,
): Route {
  const method = req.method ?? 'GET';
  if (path === '/graphql' && method === 'POST') return graphqlRoute(ctx, body, baseUrl, res);
  const [top, entity, project, run, ...rest] = path.split('/').slice(1).map(decodeURIComponent);
  if (top === 'files' && entity && project && run && rest.join('/') === 'file_stream' && method === 'POST') {
    return fileStreamRoute(ctx, { entity, project, run }, body, res);
  }
  if ((top === 'files' || (top === '_local' && entity === 'files')) && method === 'GET') {
    const isSigned = top !== 'files';
    const [e = '', p = '', r = '', ...name] = isSigned
      ? [project, run, ...rest]
      : [entity, project, run, ...rest];
    return runFileRoute(ctx, { entity: e, project: p, run: r }, name.join('/'), isSigned, res);
  }
  if (top === '_local' && entity === 'upload' && project && method === 'PUT') {
    return uploadRoute(ctx, project, body, req.headers, res);
  }
  if (top === '_local' && entity === 'blobs' && project && method === 'GET') {
    return artifactFileRoute(ctx, project, res);
  }
  return notFoundRoute(res);
}

/** Answers with the drawn fault: a dropped connection, a 429 with W&B's rate-limit headers, or a 5xx. */
function injectFault(res: ServerResponse, fault: Fault): void {
  if (fault.kind === 'reset') {
    res.socket?.resetAndDestroy();
    return;
  }
  if (fault.kind === 'rate-limit') {
    sendJson(
      res,
      429,
      { errors: [{ message: 'rate limit exceeded' }] },
      {
        'Retry-After': String(fault.retryAfterSeconds),
        'RateLimit-Remaining': '0',
        'RateLimit-Reset': String(fault.retryAfterSeconds),
      },
    );
    return;
  }
  sendJson(res, fault.status, {
    errors: [{ message: 'An internal error occurred. Please contact support.' }],
  });
}
