import { AppError } from '../shared/errors.js';

/** One entry of a GraphQL `errors` array. */
type GqlIssue = { readonly message: string; readonly path?: readonly (string | number)[] };

/**
 * Base of every W&B client error. Messages name the operation and status only: never the URL (signed URLs
 * carry tokens), the request headers or the API key.
 */
export abstract class WandbError extends AppError {
  abstract readonly operation: string;
  /** Whether the request may succeed when sent again (the client has already retried it). */
  readonly isRetryable: boolean = false;
}

/** A non-2xx answer that is not an auth failure (404 "project not found", 400, or a 5xx after retries). */
export class WandbHttpError extends WandbError {
  override readonly name = 'WandbHttpError';
  readonly code = 'WANDB_HTTP';
  override readonly isRetryable: boolean;

  constructor(
    readonly status: number,
    readonly operation: string,
    /** First error message of the body, when it had one. */
    readonly detail?: string,
  ) {
    super(`${operation}: HTTP ${status}${detail ? ` (${detail})` : ''}`);
    this.isRetryable = RETRYABLE_STATUSES.has(status);
  }
}

/** HTTP 200 whose body carries `errors` or no `data`. */
export class WandbGraphqlError extends WandbError {
  override readonly name = 'WandbGraphqlError';
  readonly code = 'WANDB_GRAPHQL';

  constructor(
    readonly operation: string,
    readonly errors: readonly GqlIssue[],
  ) {
    super(`${operation}: ${errors[0]?.message ?? 'no data in response'}`);
  }
}

/** The connection failed (refused, reset, DNS) on every attempt. */
export class WandbNetworkError extends WandbError {
  override readonly name = 'WandbNetworkError';
  readonly code = 'WANDB_NETWORK';
  override readonly isRetryable = true;

  constructor(
    readonly operation: string,
    cause: unknown,
  ) {
    super(`${operation}: network error (${describeCause(cause)})`, { cause });
  }
}

/** No complete answer within the per-request timeout, on every attempt. */
export class WandbTimeoutError extends WandbError {
  override readonly name = 'WandbTimeoutError';
  readonly code = 'WANDB_TIMEOUT';
  override readonly isRetryable = true;

  constructor(
    readonly operation: string,
    readonly timeoutMs?: number,
  ) {
    super(`${operation}: timed out${timeoutMs === undefined ? '' : ` after ${timeoutMs} ms`}`);
  }
}

/** 401/403: the key is wrong or lacks access. Never retried. */
export class WandbAuthError extends WandbError {
  override readonly name = 'WandbAuthError';
  readonly code = 'WANDB_AUTH';

  constructor(
    readonly status: number,
    readonly operation: string,
  ) {
    super(
      `${operation}: HTTP ${status}, ${status === 401 ? 'the W&B API key was rejected' : 'access denied by W&B'}`,
    );
  }
}

/** A 2xx answer whose body does not have the expected shape (validated with zod at the boundary). */
export class WandbResponseError extends WandbError {
  override readonly name = 'WandbResponseError';
  readonly code = 'WANDB_RESPONSE';

  constructor(
    readonly operation: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation}: unexpected response (${detail})`, options);
  }
}

/** A downloaded artifact file whose MD5 differs from its manifest digest: callers must fail closed. */
export class ArtifactIntegrityError extends WandbError {
  override readonly name = 'ArtifactIntegrityError';
  readonly code = 'WANDB_ARTIFACT_INTEGRITY';
  readonly operation = 'readArtifactFile';

  constructor(
    readonly artifact: string,
    readonly file: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${artifact}/${file}: MD5 ${actual} does not match the manifest digest ${expected}`);
  }
}

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/**
 * Whether W&B refused a request as such (GraphQL errors, a non-retryable status): a batched (aliased)
 * query refused this way is worth sending again one item per request (docs/wandb-protocol.md §5.4).
 */
export function isRefusedQuery(error: unknown): boolean {
  return error instanceof WandbGraphqlError || (error instanceof WandbHttpError && !error.isRetryable);
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause instanceof Error ? cause.cause : undefined;
  const code = (inner ?? cause) as Error & { code?: unknown };
  return typeof code.code === 'string' ? code.code : (inner ?? cause).message.slice(0, 120);
}
