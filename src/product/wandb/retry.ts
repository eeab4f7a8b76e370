import type { Clock } from '../shared/clock.js';

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
/** Upper bound on a server-requested wait (Retry-After / RateLimit-Reset), so one header cannot stall the job. */
const MAX_SERVER_WAIT_MS = 300_000;

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** How a rejected fetch (or body read) failed. */
type FailureKind = 'timeout' | 'network' | 'other';

export function classifyFailure(error: unknown): FailureKind {
  if (!(error instanceof Error)) return 'other';
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timeout';
  // Built-in fetch rejects with TypeError("fetch failed") whose cause carries the socket error code.
  if (error instanceof TypeError) return 'network';
  const codes = [error, error.cause].map((e) =>
    e instanceof Error ? (e as Error & { code?: unknown }).code : undefined,
  );
  if (codes.some((c) => typeof c === 'string' && NETWORK_CODES.has(c))) return 'network';
  return /socket hang up|ECONNRESET|ECONNREFUSED|other side closed/i.test(error.message)
    ? 'network'
    : 'other';
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^attempt)). `attempt` starts at 0. */
export function backoffDelay(attempt: number, random: () => number): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * The wait a 429/503 asks for: `Retry-After` (seconds or an HTTP date), then `RateLimit-Reset` (seconds);
 * undefined when neither is usable.
 */
export function serverRequestedDelay(headers: Headers, clock: Clock): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    const ms = /^\d+(\.\d+)?$/.test(retryAfter)
      ? Number(retryAfter) * 1000
      : Date.parse(retryAfter) - clock.now().getTime();
    if (Number.isFinite(ms)) return clampWait(ms);
  }
  const reset = headers.get('ratelimit-reset')?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) return clampWait(Number(reset) * 1000);
  return undefined;
}

const clampWait = (ms: number): number => Math.min(MAX_SERVER_WAIT_MS, Math.max(0, Math.ceil(ms)));
