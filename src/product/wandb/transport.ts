import pLimit from 'p-limit';
import { z } from 'zod';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import {
  WandbAuthError,
  type WandbError,
  WandbHttpError,
  WandbNetworkError,
  WandbTimeoutError,
} from './errors.js';
import { backoffDelay, classifyFailure, serverRequestedDelay } from './retry.js';

/** One HTTP request; `operation` names it in errors, retry logs and request counts. */
export type WandbRequest = {
  operation: string;
  url: string;
  method: 'GET' | 'POST' | 'PUT';
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Stops the request where it is (queued, in flight or between retries) with the signal's reason. */
  signal?: AbortSignal | undefined;
};

/** An HTTP answer with its body read in full. */
export type WandbAnswer = { status: number; headers: Headers; body: Buffer };

/** How the transport sends: every field resolved, no defaults left. */
export type TransportSettings = {
  fetch: typeof fetch;
  log: Logger;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Only to turn a `Retry-After` HTTP date into a wait. */
  clock: Clock;
  /** Per attempt, ms. */
  timeoutMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** W&B requests in flight at once (GraphQL, file stream, downloads): `max_workers`. */
  concurrency: number;
};

/**
 * Uploads in flight at once, apart from `concurrency`: they PUT to the signed storage URLs W&B hands out
 * (cloud storage, not W&B's API), as wandb-core's file transfer manager does with its own bound
 * (`DefaultConcurrencyLimit = 128`, core/internal/filetransfer/file_transfer_manager.go in wandb/wandb).
 * A quarter of that: a night's uploads are small files, and the task has one vCPU.
 */
export const UPLOAD_CONCURRENCY = 32;

/** Sends requests to W&B and to signed storage URLs alike. */
export type Transport = {
  /** Resolves with a 2xx answer; retries what can be retried, throws a WandbError otherwise. */
  send(request: WandbRequest): Promise<WandbAnswer>;
  /** Attempts so far, retries included, by operation. */
  requestCounts(): Readonly<Record<string, number>>;
};

type Outcome = { ok: true; answer: WandbAnswer } | { ok: false; error: unknown };
/** A failed attempt worth retrying, and the wait the server asked for, if any. */
type RetryableFailure = { error: WandbError; serverWaitMs: number | undefined };

/** The only W&B transport: per-attempt timeout, retries with backoff, and bounded concurrency. */
export function createTransport(settings: TransportSettings): Transport {
  const counter = createRequestCounter();
  const limit = pLimit(settings.concurrency);
  const uploadLimit = pLimit(UPLOAD_CONCURRENCY);
  const attemptInSlot = (request: WandbRequest) =>
    (request.operation === 'upload' ? uploadLimit : limit)(() => {
      // A request stopped while it waited for a slot is never sent.
      request.signal?.throwIfAborted();
      counter.count(request.operation);
      return attempt(request, settings);
    });
  return {
    send: (request) => sendWithRetries(request, settings, attemptInSlot),
    requestCounts: counter.snapshot,
  };
}

type RequestCounter = {
  count(operation: string): void;
  snapshot(): Readonly<Record<string, number>>;
};

function createRequestCounter(): RequestCounter {
  const counts: Record<string, number> = {};
  return {
    count(operation) {
      counts[operation] = (counts[operation] ?? 0) + 1;
    },
    snapshot: () => Object.freeze({ ...counts }),
  };
}

async function attempt(request: WandbRequest, settings: TransportSettings): Promise<Outcome> {
  // Called as a plain function: the global fetch it defaults to may refuse another `this`.
  const fetchImpl = settings.fetch;
  try {
    const res = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: request.signal
        ? AbortSignal.any([AbortSignal.timeout(settings.timeoutMs), request.signal])
        : AbortSignal.timeout(settings.timeoutMs),
    });
    // Read the body inside the same timeout and concurrency slot as the headers.
    const body = Buffer.from(await res.arrayBuffer());
    return { ok: true, answer: { status: res.status, headers: res.headers, body } };
  } catch (error) {
    return { ok: false, error };
  }
}

async function sendWithRetries(
  request: WandbRequest,
  settings: TransportSettings,
  attemptInSlot: (request: WandbRequest) => Promise<Outcome>,
): Promise<WandbAnswer> {
  const { operation } = request;
  const { log, sleep, random, maxRetries } = settings;
  for (let attemptNo = 0; ; attemptNo += 1) {
    const outcome = await attemptInSlot(request);
    if (outcome.ok && isSuccess(outcome.answer.status)) return outcome.answer;
    request.signal?.throwIfAborted();
    const failure = retryableFailure(operation, outcome, settings);
    if (attemptNo >= maxRetries) throw failure.error;
    const waitMs = failure.serverWaitMs ?? backoffDelay(attemptNo, random);
    log.warn('wandb.retry', {
      operation,
      attempt: attemptNo + 1,
      maxRetries,
      reason: failure.error.message,
      waitMs,
    });
    await sleep(waitMs);
    request.signal?.throwIfAborted();
  }
}

const isSuccess = (status: number): boolean => status >= 200 && status < 300;

/** The error of a failed attempt when another attempt may succeed; throws it when none can. */
function retryableFailure(
  operation: string,
  outcome: Outcome,
  settings: Pick<TransportSettings, 'clock' | 'timeoutMs'>,
): RetryableFailure {
  if (outcome.ok) {
    const { status, headers, body } = outcome.answer;
    if (status === 401 || status === 403) throw new WandbAuthError(status, operation);
    const httpError = new WandbHttpError(status, operation, errorDetail(body));
    if (!httpError.isRetryable) throw httpError;
    return { error: httpError, serverWaitMs: serverRequestedDelay(headers, settings.clock) };
  }
  const kind = classifyFailure(outcome.error);
  if (kind === 'timeout')
    return { error: new WandbTimeoutError(operation, settings.timeoutMs), serverWaitMs: undefined };
  if (kind === 'network')
    return { error: new WandbNetworkError(operation, outcome.error), serverWaitMs: undefined };
  throw new WandbNetworkError(operation, outcome.error);
}

/**
 * The body as JSON; undefined when it is not JSON. Decoded as Buffer#toString decodes UTF-8 (a BOM kept,
 * bad bytes replaced), but several times faster for a large ASCII answer on Node 24 (an 8 MB events
 * answer: 16 ms → 2 ms).
 */
export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { ignoreBOM: true }).decode(body));
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
  const parsed = errorBodySchema.safeParse(parseJsonBody(body));
  if (!parsed.success) return undefined;
  const message = 'errors' in parsed.data ? parsed.data.errors[0]?.message : parsed.data.error;
  return message?.slice(0, 200);
}
