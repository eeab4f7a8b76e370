import { readFile } from 'node:fs/promises';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '../../product/shared/logger.js';
import { patternEventLines } from './events-pattern.js';
import type { Fault } from './faults.js';
import { applyFileStream } from './file-stream.js';
import { executeGraphql, prepareGraphql } from './graphql-endpoint.js';
import { createMutex, hasApiKey, parseJson, readBody, send, sendJson } from './http-util.js';
import { LINE_FILES, type LineFile } from './model.js';
import { isNotFound } from './persist.js';
import type { createStats } from './stats.js';
import type { Store } from './store.js';
import { applyUpload } from './upload.js';
import type { UploadRegistry } from './uploads.js';
import { PROJECT_VIEWS } from './views-project.js';

export type AppDeps = {
  store: Store;
  schema: GraphQLSchema;
  apiKey: string;
  uploads: UploadRegistry;
  stats: ReturnType<typeof createStats>;
  latencyMs: number;
  /** Run ids whose history and events always fail with HTTP 500. */
  failingHistory?: ReadonlySet<string> | undefined;
  /** Draws the fault (if any) for the next GraphQL/file request; absent when faults are off. */
  nextFault: (() => Fault | undefined) | undefined;
  sleep: (ms: number) => Promise<void>;
  log: Logger;
};

const OCTET_STREAM = 'application/octet-stream';
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
};

/** Run files by their name's extension, as a file store serves them, so a logged page opens in a browser. */
function contentTypeOf(name: string): string {
  return CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? OCTET_STREAM;
}

type Route = { operation: string; needsAuth: boolean; handle: () => Promise<number> };

const UNAUTHORIZED = { errors: [{ message: 'user is not logged in' }] };

/** The request handler: routes only, no listening (listen.ts owns the socket). */
export function createApp(deps: AppDeps) {
  const { store, stats } = deps;
  const exclusive = createMutex();

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // JS SDK builds `${base}/graphql`, so a base URL with a trailing slash yields //graphql (docs/wandb-protocol.md §1.1);
    // `new URL` would read that as a host, so the path is cut from the raw request target.
    const path = (req.url ?? '/').split('?')[0]?.replace(/^\/+/, '/') ?? '/';
    const baseUrl = `http://${req.headers.host ?? 'localhost'}`;
    if (req.method === 'GET' && path === '/_local/stats') return void sendJson(res, 200, stats.snapshot());
    if (req.method === 'GET' && path === '/_local/alerts') return void sendJson(res, 200, store.alerts());
    if (req.method === 'GET' && path === '/_local/uploads') {
      return void sendJson(res, 200, deps.uploads.received());
    }
    const body = req.method === 'POST' || req.method === 'PUT' ? await readBody(req) : Buffer.alloc(0);
    const route = routeOf(req.method ?? 'GET', path, body, baseUrl, req.headers, res);
    if (deps.latencyMs > 0) await deps.sleep(deps.latencyMs);
    stats.count(route.operation, body.length);
    const fault = deps.nextFault?.();
    if (fault) {
      stats.fault(fault.kind === 'status' ? String(fault.status) : fault.kind);
      return void inject(res, fault);
    }
    if (route.needsAuth && !hasApiKey(req, deps.apiKey)) {
      return void stats.served(
        sendJson(res, 401, UNAUTHORIZED, { 'WWW-Authenticate': 'Basic realm="wandb"' }),
      );
    }
    try {
      stats.served(await route.handle());
    } catch (error) {
      deps.log.error('local_wandb.request_failed', { path, error });
      if (!res.headersSent) stats.served(sendJson(res, 500, { error: 'An internal error occurred.' }));
    }
  };

  function routeOf(
    method: string,
    path: string,
    body: Buffer,
    baseUrl: string,
    headers: IncomingHttpHeaders,
    res: ServerResponse,
  ): Route {
    const notFound: Route = {
      operation: 'not_found',
      needsAuth: false,
      handle: async () => sendJson(res, 404, { error: 'not found' }),
    };
    if (path === '/graphql' && method === 'POST') return graphqlRoute(body, baseUrl, res);
    const parts = path.split('/').slice(1).map(decodeURIComponent);
    const [top, entity, project, run, ...rest] = parts;
    if (
      top === 'files' &&
      entity &&
      project &&
      run &&
      rest.join('/') === 'file_stream' &&
      method === 'POST'
    ) {
      return {
        operation: 'file_stream',
        needsAuth: true,
        handle: () =>
          exclusive(async () => {
            const rec = store.run(entity, project, run);
            if (!rec) return sendJson(res, 404, { error: 'run not found' });
            await applyFileStream(store, rec, parseJson(body));
            return sendJson(res, 200, {});
          }),
      };
    }
    if ((top === 'files' || (top === '_local' && entity === 'files')) && method === 'GET') {
      // /files/e/p/r/name (Basic auth) or its unauthenticated "signed" twin /_local/files/e/p/r/name.
      const [e, p, r, ...name] = top === 'files' ? [entity, project, run, ...rest] : [project, run, ...rest];
      return {
        operation: 'download',
        needsAuth: top === 'files',
        handle: () => serveRunFile(res, e, p, r, name.join('/')),
      };
    }
    if (top === '_local' && entity === 'upload' && project && method === 'PUT') {
      return {
        operation: 'upload',
        needsAuth: false,
        handle: () =>
          exclusive(async () => {
            const target = deps.uploads.take(project);
            if (!target) return sendJson(res, 404, { error: 'unknown upload url' });
            deps.uploads.record({ target, headers: flatHeaders(headers) });
            await applyUpload(store, target, body);
            return send(res, 200, '');
          }),
      };
    }
    if (top === '_local' && entity === 'blobs' && project && method === 'GET') {
      return { operation: 'download', needsAuth: false, handle: () => serveBlob(res, project) };
    }
    return notFound;
  }

  function graphqlRoute(body: Buffer, baseUrl: string, res: ServerResponse): Route {
    const json = parseJson(body);
    const prepared = prepareGraphql(deps.schema, json);
    if (!prepared.ok) {
      const { result } = prepared;
      // Newer clients query fields the 2023 schema lacks; logging them shows what to add.
      const query =
        typeof json === 'object' && json !== null && 'query' in json ? String(json.query).slice(0, 2000) : '';
      deps.log.warn('local_wandb.graphql_rejected', {
        operation: result.operation,
        errors: result.body,
        query,
      });
      return {
        operation: result.operation,
        needsAuth: true,
        handle: async () => sendJson(res, result.status, result.body),
      };
    }
    const ctx = {
      store,
      uploads: deps.uploads,
      baseUrl,
      failingHistory: deps.failingHistory,
      projectViews: PROJECT_VIEWS,
    };
    const run = async () => {
      const result = await executeGraphql(deps.schema, prepared, json as Record<string, unknown>, ctx);
      if (result.status !== 200)
        deps.log.warn('local_wandb.graphql_failed', { status: result.status, body: result.body });
      return sendJson(res, result.status, result.body);
    };
    return {
      operation: prepared.operation,
      needsAuth: true,
      handle: () => (prepared.isMutation ? exclusive(run) : run()),
    };
  }

  async function serveRunFile(
    res: ServerResponse,
    entity = '',
    project = '',
    run = '',
    name = '',
  ): Promise<number> {
    const rec = store.run(entity, project, run);
    if (!rec) return sendJson(res, 404, { error: 'run not found' });
    if ((LINE_FILES as readonly string[]).includes(name)) {
      const lines =
        name === 'wandb-events.jsonl' && rec.eventsPattern
          ? patternEventLines(rec.eventsPattern, null)
          : await store.readLines(rec, name as LineFile);
      return send(res, 200, lines.map((l) => `${l}\n`).join(''), {
        'Content-Type': 'application/octet-stream',
      });
    }
    const file = rec.files[name];
    if (!file) return sendJson(res, 404, { error: 'file not found' });
    return serveBlob(res, file.blob, contentTypeOf(name));
  }

  async function serveBlob(res: ServerResponse, hex: string, type = OCTET_STREAM): Promise<number> {
    if (!/^[0-9a-f]{32}$/.test(hex)) return sendJson(res, 404, { error: 'not found' });
    const text = await readBlob(store, hex);
    if (text === undefined) return sendJson(res, 404, { error: 'not found' });
    return send(res, 200, text, { 'Content-Type': type });
  }
}

async function readBlob(store: Store, hex: string): Promise<Buffer | undefined> {
  try {
    return await readFile(store.disk.blobFile(hex));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Request headers as one string each (repeated headers joined, as Node joins most of them). */
function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function inject(res: ServerResponse, fault: Fault): void {
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
