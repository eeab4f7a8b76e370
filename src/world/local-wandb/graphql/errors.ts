import { AppError } from '../../../product/shared/errors.js';

/** An error a resolver raises on purpose; `httpStatus` is the status W&B answers with (docs/wandb-protocol.md §1.5). */
export abstract class LocalWandbError extends AppError {
  abstract readonly httpStatus: number;
}

/** A write into a project or run that does not exist: W&B answers 404 "project not found". */
export class NotFoundError extends LocalWandbError {
  override readonly name = 'NotFoundError';
  readonly code = 'LOCAL_WANDB_NOT_FOUND';
  readonly httpStatus = 404;
}

/** A request W&B rejects as bad (e.g. using an uncommitted artifact): 400. */
export class BadRequestError extends LocalWandbError {
  override readonly name = 'BadRequestError';
  readonly code = 'LOCAL_WANDB_BAD_REQUEST';
  readonly httpStatus = 400;
}

/**
 * W&B's lasting answer for some runs' history: HTTP 500 "run not found for history loading" on every try
 * (wandb/wandb issues 4605 and 8291); the whole (aliased) request fails with it.
 */
export class HistoryLoadingError extends LocalWandbError {
  override readonly name = 'HistoryLoadingError';
  readonly code = 'LOCAL_WANDB_HISTORY_LOADING';
  readonly httpStatus = 500;
}

/** A malformed `filters` JSON string; W&B answers such filters with HTTP 500 (opentensor/validators#136). */
export class FilterError extends LocalWandbError {
  override readonly name = 'FilterError';
  readonly code = 'LOCAL_WANDB_FILTER';
  readonly httpStatus = 500;
}
