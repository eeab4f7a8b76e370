import { type Clock, systemClock } from '../shared/clock.js';
import { type Logger, silentLogger } from '../shared/logger.js';
import { downloadRequest, fileStreamRequest, type RunPath, uploadRequest } from './file-requests.js';
import { graphqlData, graphqlRequest } from './graphql.js';
import { type WandbHost, wandbHost } from './host.js';
import { createTransport, type Transport, type TransportSettings, type WandbRequest } from './transport.js';

export type { RunPath } from './file-requests.js';

/** Every request the product makes to W&B goes through one of these methods. */
export type WandbClient = {
  /** POST {base}/graphql; throws WandbGraphqlError when `errors` is present (or data null). */
  graphql<T>(operation: string, query: string, variables?: Record<string, unknown>): Promise<T>;
  /** GET a URL: auth true for W&B-hosted run files, false for signed URLs (directUrl, uploadUrl). */
  download(url: string, options?: { auth?: boolean }): Promise<Buffer>;
  /**
   * PUT bytes to a signed upload URL with exactly `headers` (W&B's `uploadHeaders`): no W&B auth, no
   * Content-Type of ours. A relative URL (`/…`) goes to the W&B host.
   */
  upload(url: string, body: Uint8Array | string, headers?: Readonly<Record<string, string>>): Promise<void>;
  /** POST {base}/files/{entity}/{project}/{run}/file_stream with a JSON body. */
  fileStream(run: RunPath, body: unknown): Promise<void>;
  /** Requests sent so far, retries included, by operation. */
  requestCounts(): Readonly<Record<string, number>>;
  /**
   * The same client (one concurrency bound, one count) whose requests stop once `signal` aborts: a
   * queued one is never sent, one in flight or waiting to retry rejects with the signal's reason.
   */
  stoppedBy(signal: AbortSignal): WandbClient;
};

export type WandbClientOptions = {
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
  log?: Logger;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Per request (each attempt), ms. */
  timeoutMs?: number;
  /** Retries after the first attempt. */
  maxRetries?: number;
  /** Requests in flight at once, over every kind of request. */
  concurrency?: number;
  /** Only to turn a `Retry-After` HTTP date into a wait. */
  clock?: Clock;
};

/** The only W&B client: auth, per-request timeout, retries with backoff, and bounded concurrency. */
export function createWandbClient(options: WandbClientOptions): WandbClient {
  return clientOver(wandbHost(options.baseUrl, options.apiKey), createTransport(transportSettings(options)));
}

function clientOver(host: WandbHost, transport: Transport, signal?: AbortSignal): WandbClient {
  const send = (request: WandbRequest) => transport.send(signal ? { ...request, signal } : request);
  return {
    async graphql<T>(operation: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
      const answer = await send(graphqlRequest(host, operation, query, variables));
      return graphqlData<T>(operation, answer);
    },
    async download(url: string, opts: { auth?: boolean } = {}): Promise<Buffer> {
      const answer = await send(downloadRequest(host, url, opts.auth === true));
      return answer.body;
    },
    async upload(url: string, body: Uint8Array | string, headers: Readonly<Record<string, string>> = {}) {
      await send(uploadRequest(host, url, body, headers));
    },
    async fileStream(run: RunPath, body: unknown): Promise<void> {
      await send(fileStreamRequest(host, run, body));
    },
    requestCounts: transport.requestCounts,
    stoppedBy: (stop) => clientOver(host, transport, signal ? AbortSignal.any([signal, stop]) : stop),
  };
}

function transportSettings(options: WandbClientOptions): TransportSettings {
  return {
    fetch: options.fetch ?? globalThis.fetch,
    log: options.log ?? silentLogger,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms))),
    random: options.random ?? Math.random,
    clock: options.clock ?? systemClock,
    timeoutMs: options.timeoutMs ?? 60_000,
    maxRetries: options.maxRetries ?? 6,
    concurrency: options.concurrency ?? 8,
  };
}
