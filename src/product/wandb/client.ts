import pLimit from 'p-limit';
import { z } from 'zod';
import { type Clock, systemClock } from '../shared/clock.js';
import { type Logger, silentLogger } from '../shared/logger.js';
import {
  WandbAuthError,
  type WandbError,
  WandbGraphqlError,
  WandbHttpError,
  WandbNetworkError,
  WandbResponseError,
  WandbTimeoutError,
} from './errors.js';
import { backoffDelay, classifyFailure, serverRequestedDelay } from './retry.js';
import { resolveUploadUrl } from './signed-upload.js';

export type RunPath = { entity: string; project: string; run: string };

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

type Request = {
  operation: string;
  url: string;
  method: 'GET' | 'POST' | 'PUT';
  headers: Record<string, string>;
  body?: string | Buffer;
};
type Answer = { status: number; headers: Headers; body: Buffer };
type Outcome = { ok: true; answer: Answer } | { ok: false; error: unknown };

const envelopeSchema = z.object({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z
    .array(z.object({ message: z.string(), path: z.array(z.union([z.string(), z.number()])).optional() }))
    .nullish(),
});

/** The only W&B transport: auth, per-request timeout, retries with backoff, and bounded concurrency. */
export function createWandbClient(options: WandbClientOptions): WandbClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const baseOrigin = new URL(baseUrl).origin;
  const authorization = `Basic ${Buffer.from(`api:${options.apiKey}`).toString('base64')}`;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const log = options.log ?? silentLogger;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const random = options.random ?? Math.random;
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxRetries = options.maxRetries ?? 6;
  const limit = pLimit(options.concurrency ?? 8);
  const counts: Record<string, number> = {};

  async function attempt(request: Request): Promise<Outcome> {
    counts[request.operation] = (counts[request.operation] ?? 0) + 1;
    try {
      const res = await fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Read the body inside the same timeout and concurrency slot as the headers.
      const body = Buffer.from(await res.arrayBuffer());
      return { ok: true, answer: { status: res.status, headers: res.headers, body } };
    } catch (error) {
      return { ok: false, error };
    }
  }

  async function send(request: Request): Promise<Answer> {
    const { operation } = request;
    for (let attemptNo = 0; ; attemptNo += 1) {
      const outcome = await limit(() => attempt(request));
      let failure: WandbError;
      let serverWait: number | undefined;
      if (outcome.ok) {
        const { status, headers, body } = outcome.answer;
        if (status >= 200 && status < 300) return outcome.answer;
        if (status === 401 || status === 403) throw new WandbAuthError(status, operation);
        const httpError = new WandbHttpError(status, operation, errorDetail(body));
        if (!httpError.isRetryable) throw httpError;
        failure = httpError;
        serverWait = serverRequestedDelay(headers, clock);
      } else {
        const kind = classifyFailure(outcome.error);
        if (kind === 'timeout') failure = new WandbTimeoutError(operation, timeoutMs);
        else if (kind === 'network') failure = new WandbNetworkError(operation, outcome.error);
        else throw new WandbNetworkError(operation, outcome.error);
      }
      if (attemptNo >= maxRetries) throw failure;
      const waitMs = serverWait ?? backoffDelay(attemptNo, random);
      log.warn('wandb.retry', {
        operation,
        attempt: attemptNo + 1,
        maxRetries,
        reason: failure.message,
        waitMs,
      });
      await sleep(waitMs);
    }
  }

  const jsonHeaders = () => ({ Authorization: authorization, 'Content-Type': 'application/json' });

  return {
    async graphql<T>(operation: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
      const answer = await send({
        operation,
        url: `${baseUrl}/graphql`,
        method: 'POST',
        headers: jsonHeaders(),
        body: JSON.stringify({ query, variables }),
      });
      const parsed = envelopeSchema.safeParse(parseJson(answer.body));
      if (!parsed.success) throw new WandbResponseError(operation, 'not a GraphQL response body');
      const { data, errors } = parsed.data;
      if (errors && errors.length > 0) {
        const issues = errors.map((e) =>
          e.path ? { message: e.message, path: e.path } : { message: e.message },
        );
        throw new WandbGraphqlError(operation, issues);
      }
      if (data === null || data === undefined) throw new WandbGraphqlError(operation, []);
      return data as T;
    },
    async download(url: string, opts: { auth?: boolean } = {}): Promise<Buffer> {
      // The key only ever goes to the W&B host itself, never to a storage URL.
      const isAuthed = opts.auth === true && new URL(url).origin === baseOrigin;
      const headers: Record<string, string> = isAuthed ? { Authorization: authorization } : {};
      const answer = await send({ operation: 'download', url, method: 'GET', headers });
      return answer.body;
    },
    async upload(url: string, body: Uint8Array | string, headers: Readonly<Record<string, string>> = {}) {
      // Bytes, never a string: fetch adds `Content-Type: text/plain;charset=UTF-8` to a string body, a
      // header the signed URL was not signed with. wandb-core sends only the listed headers
      // (wandb/wandb core/internal/filetransfer/file_transfer_default.go).
      const bytes =
        typeof body === 'string'
          ? Buffer.from(body, 'utf8')
          : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      await send({
        operation: 'upload',
        url: resolveUploadUrl(baseUrl, url),
        method: 'PUT',
        headers: { ...headers },
        body: bytes,
      });
    },
    async fileStream(run: RunPath, body: unknown): Promise<void> {
      const path = [run.entity, run.project, run.run].map(encodeURIComponent).join('/');
      await send({
        operation: 'file_stream',
        url: `${baseUrl}/files/${path}/file_stream`,
        method: 'POST',
        headers: jsonHeaders(),
        body: JSON.stringify(body),
      });
    },
    requestCounts: () => Object.freeze({ ...counts }),
  };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

const errorBodySchema = z.union([
  z.object({ errors: z.array(z.object({ message: z.string() })).min(1) }),
  z.object({ error: z.string() }),
]);

/** First message of an error body (`{"errors":[{message}]}` or `{"error": msg}`), cut short. */
function errorDetail(body: Buffer): string | undefined {
  const parsed = errorBodySchema.safeParse(parseJson(body));
  if (!parsed.success) return undefined;
  const message = 'errors' in parsed.data ? parsed.data.errors[0]?.message : parsed.data.error;
  return message?.slice(0, 200);
}
