import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '../../../product/shared/logger.js';
import { createPatternEvents } from '../files/events-pattern.js';
import type { UrlSigner } from '../files/signed-urls.js';
import type { UploadRegistry } from '../files/upload-targets.js';
import type { Store } from '../store/store.js';
import { artifactFileRoute, runFileRoute } from './app-file-routes.js';
import {
  fileStreamRoute,
  graphqlRoute,
  notFoundRoute,
  type Route,
  type RouteContext,
  uploadRoute,
} from './app-routes.js';
import type { Fault } from './faults.js';
import { createMutex, hasApiKey, sendJson } from './http-util.js';
import { readBody } from './request-body.js';
import { BODY_LIMITS, type Destination, destinationOf, parseTarget, type Target } from './request-target.js';
import type { StatsRecorder } from './stats.js';

export type AppDeps = {
  store: Store;
  schema: GraphQLSchema;
  apiKey: string;
  uploads: UploadRegistry;
  /** Signs the download and upload URLs handed out, and checks them when they come back. */
  signer: UrlSigner;
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
// GCS and S3 answer a signed URL whose signature does not match with 403.
const BAD_SIGNATURE = { errors: [{ message: 'the URL signature does not match' }] };

/** The request handler: routes only, no listening (listen.ts owns the socket). */
export function createApp(deps: AppDeps): RequestHandler {
  const ctx: RouteContext = {
    store: deps.store,
    schema: deps.schema,
    uploads: deps.uploads,
    signer: deps.signer,
    failingHistory: deps.failingHistory,
    patterns: createPatternEvents(),
    log: deps.log,
    exclusive: createMutex(),
  };
  return (req, res) => handleRequest(deps, ctx, req, res);
}

/**
 * Every request: auth (the key, or a signed URL's signature) before anything else, so a request
 * without it costs no body read (docs/behaviour.md §10); then the path, the /_local inspection GETs,
 * the body under its size limit, simulated latency, stats, an injected fault, and the route's
 * handler. A handler that throws answers 500.
 */
async function handleRequest(
  deps: AppDeps,
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { stats } = deps;
  const target = parseTarget(req.url);
  const access = accessOf(deps, req, target);
  if (access !== 'allowed') {
    stats.count('unauthorized', 0);
    const refusal =
      access === 'bad-signature'
        ? refuse(req, res, 403, BAD_SIGNATURE)
        : refuse(req, res, 401, UNAUTHORIZED, { 'WWW-Authenticate': 'Basic realm="wandb"' });
    return void stats.served(refusal);
  }
  const { path, segments } = target;
  if (!segments) {
    stats.count('bad_request', 0);
    return void stats.served(refuse(req, res, 400, { error: 'malformed percent-escape in the path' }));
  }
  if (req.method === 'GET' && serveInspection(deps, path, res)) return;
  const destination = destinationOf(req.method ?? 'GET', path, segments);
  const limit = BODY_LIMITS[destination.kind];
  const read =
    limit === undefined ? { ok: true as const, body: Buffer.alloc(0) } : await readBody(req, limit);
  if (!read.ok) {
    stats.count(read.status === 413 ? 'too_large' : 'bad_request', 0);
    return void stats.served(refuse(req, res, read.status, { error: read.message }));
  }
  const { body } = read;
  const baseUrl = `http://${req.headers.host ?? 'localhost'}`;
  const route = routeOf(ctx, destination, req, body, baseUrl, res);
  if (deps.latencyMs > 0) await deps.sleep(deps.latencyMs);
  stats.count(route.operation, body.length);
  const fault = deps.nextFault?.();
  if (fault) {
    stats.fault(fault.kind === 'status' ? String(fault.status) : fault.kind);
    return void injectFault(res, fault);
  }
  try {
    stats.served(await route.handle());
  } catch (error) {
    deps.log.error('local_wandb.request_failed', { path, error });
    if (!res.headersSent) stats.served(sendJson(res, 500, { error: 'An internal error occurred.' }));
  }
}

/**
 * Basic auth opens every route; a valid signature opens only the signed URL's own path. A wrong
 * signature is told apart from none, as storage services do.
 */
function accessOf(
  deps: AppDeps,
  req: IncomingMessage,
  target: Target,
): 'allowed' | 'no-key' | 'bad-signature' {
  if (hasApiKey(req, deps.apiKey)) return 'allowed';
  const signature = target.segments ? deps.signer.check(target.segments, target.search) : 'missing';
  if (signature === 'valid') return 'allowed';
  return signature === 'invalid' ? 'bad-signature' : 'no-key';
}

/**
 * An answer given without reading the request body (or with part of it unread): `Connection: close`
 * drops the rest with the socket instead of draining it.
 */
function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): number {
  return sendJson(res, status, body, req.complete ? headers : { ...headers, Connection: 'close' });
}

/** GET /_local/stats, /_local/alerts, /_local/uploads: what tests inspect; uncounted, no faults (the key is checked). */
function serveInspection(deps: AppDeps, path: string, res: ServerResponse): boolean {
  if (path === '/_local/stats') sendJson(res, 200, deps.stats.snapshot());
  else if (path === '/_local/alerts') sendJson(res, 200, deps.store.alerts());
  else if (path === '/_local/uploads') sendJson(res, 200, deps.uploads.received());
  else return false;
  return true;
}

function routeOf(
  ctx: RouteContext,
  destination: Destination,
  req: IncomingMessage,
  body: Buffer,
  baseUrl: string,
  res: ServerResponse,
): Route {
  switch (destination.kind) {
    case 'graphql':
      return graphqlRoute(ctx, body, baseUrl, res);
    case 'file_stream':
      return fileStreamRoute(ctx, destination.run, body, res);
    case 'run-file':
      return runFileRoute(ctx, destination.run, destination.name, res);
    case 'upload':
      return uploadRoute(ctx, destination.token, body, req.headers, res);
    case 'blob':
      return artifactFileRoute(ctx, destination.hex, res);
    case 'not-found':
      return notFoundRoute(res);
  }
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
