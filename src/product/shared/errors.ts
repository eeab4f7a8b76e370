/** Base of every error the product raises on purpose; `code` is stable for callers and tests. */
export abstract class AppError extends Error {
  abstract readonly code: string;
  /** Exit code the CLI uses when this error reaches the top level. */
  readonly exitCode: 1 | 2 | 3 = 1;
}

/** Bad command-line usage or input (dates, flags, CSV, seed files): exit 2. */
export class UsageError extends AppError {
  override readonly name = 'UsageError';
  readonly code = 'USAGE';
  override readonly exitCode = 2;
}

/** A file given as input cannot be read or parsed; names the file and, where known, the line and column. */
export class InputError extends AppError {
  override readonly name = 'InputError';
  readonly code = 'INPUT';
  override readonly exitCode = 2;

  constructor(
    readonly path: string,
    readonly detail: string,
    readonly location: { line?: number; column?: string } = {},
    options?: { cause?: unknown },
  ) {
    const where = [
      location.line === undefined ? '' : `line ${location.line}`,
      location.column === undefined ? '' : `column ${location.column}`,
    ]
      .filter(Boolean)
      .join(', ');
    super(`${path}${where ? ` (${where})` : ''}: ${detail}`, options);
  }
}

/**
 * A dataset cell that cannot be decoded (docs/behaviour.md §5): the reader turns it into an InputError
 * naming the file and line as well.
 */
export class CellError extends AppError {
  override readonly name = 'CellError';
  readonly code = 'CELL';
  override readonly exitCode = 2;
  constructor(
    readonly column: string,
    detail: string,
  ) {
    super(detail);
  }
}

/** W&B would not give the metrics of most counted runs: the job stops before writing anything (exit 1). */
export class MetricsUnavailableError extends AppError {
  override readonly name = 'MetricsUnavailableError';
  readonly code = 'METRICS_UNAVAILABLE';
}

/** The check could not run to its end: exit 3, not 1 (findings) or 2 (usage, config). */
export class CheckNotRunError extends AppError {
  override readonly name = 'CheckNotRunError';
  readonly code = 'CHECK_NOT_RUN';
  override readonly exitCode = 3;
}

/** A bug: something the code assumed could not happen did. */
export class InternalError extends AppError {
  override readonly name = 'InternalError';
  readonly code = 'INTERNAL';

  constructor(message: string, options?: { cause?: unknown }) {
    super(`internal error (a bug, please report it): ${message}`, options);
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
