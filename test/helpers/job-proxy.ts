// An HTTP proxy between one job and the local W&B server. It numbers the job's requests and lets a test
// act at an exact one (kill the job there, or hold it at a barrier), so kill points and interleavings are
// reproducible instead of timed. It keeps the Host header, so the upload URLs the server hands out point
// back at the proxy and uploads are seen too.
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Exchange = {
  /** 1-based among all requests of this proxy. */
  readonly index: number;
  /** 1-based among writes (GraphQL mutations, uploads, file-stream posts); undefined for reads. */
  readonly writeIndex: number | undefined;
  /** GraphQL operation name (`UpsertBucket(tags)` for a tags-only upsert), `upload`, `file_stream` or `download`. */
  readonly operation: string;
  /** The request's path and query. */
  readonly url: string;
  /** The request body as text. */
  readonly text: string;
};

/** `hang`: the request (or its answer) goes no further and the client waits forever. */
export type Step = 'go' | 'hang';

export type ProxyHooks = {
  /** Before the request reaches the server. */
  onRequest?: (exchange: Exchange) => Step | Promise<Step>;
  /** After the server has answered (and applied) it, before the answer reaches the job. */
  onResponse?: (exchange: Exchange) => Step | Promise<Step>;
};

export type JobProxy = { url: string; exchanges: Exchange[]; close(): Promise<void> };

export async function startJobProxy(target: string, hooks: ProxyHooks = {}): Promise<JobProxy> {
  const upstream = new URL(target);
  const exchanges: Exchange[] = [];
  let writes = 0;
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502).end(String(error));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req);
    const { operation, isWrite } = classify(req.method ?? 'GET', req.url ?? '/', body);
    const exchange: Exchange = {
      index: exchanges.length + 1,
      writeIndex: isWrite ? ++writes : undefined,
      operation,
      url: req.url ?? '/',
      text: body.toString('utf8'),
    };
    exchanges.push(exchange);
    if ((await hooks.onRequest?.(exchange)) === 'hang') return;
    const answer = await forward(upstream, req, body);
    if ((await hooks.onResponse?.(exchange)) === 'hang') return;
    res.writeHead(answer.status, answer.headers).end(answer.body);
  }

  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function classify(method: string, url: string, body: Buffer): { operation: string; isWrite: boolean } {
  if (method === 'PUT') return { operation: 'upload', isWrite: true };
  if (method === 'POST' && url.endsWith('/file_stream')) return { operation: 'file_stream', isWrite: true };
  if (method !== 'POST') return { operation: 'download', isWrite: false };
  const { query = '', variables = {} } = JSON.parse(body.toString('utf8')) as {
    query?: string;
    variables?: Record<string, unknown>;
  };
  const [, kind = 'query', name = ''] = /^\s*(query|mutation)\s*(\w*)/.exec(query) ?? [];
  const isTagsOnly = name === 'UpsertBucket' && 'id' in variables && !('name' in variables);
  return { operation: isTagsOnly ? 'UpsertBucket(tags)' : name || kind, isWrite: kind === 'mutation' };
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function forward(
  upstream: URL,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
  return new Promise((done, fail) => {
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'content-length': String(body.length) },
      },
      (res) => {
        readAll(res).then((answer) => {
          const headers: Record<string, string | string[]> = {};
          for (const [key, value] of Object.entries(res.headers)) {
            if (value !== undefined && key !== 'transfer-encoding' && key !== 'connection')
              headers[key] = value;
          }
          headers['content-length'] = String(answer.length);
          done({ status: res.statusCode ?? 502, headers, body: answer });
        }, fail);
      },
    );
    out.on('error', fail);
    out.end(body);
  });
}
