import { isAppError } from '../shared/errors.js';

/** Exit codes of every command (docs/behaviour.md §9). */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** `check` only: the check itself could not run (a source unreachable, or an unexpected error). */
  checkNotRun: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Turns anything thrown out of a command into an exit code and a one-line message for stderr. */
export function exitCodeFor(error: unknown): { code: ExitCode; message: string } {
  if (isAppError(error)) return { code: error.exitCode, message: `${error.name}: ${error.message}` };
  if (error instanceof Error) return { code: EXIT.failure, message: `${error.name}: ${error.message}` };
  return { code: EXIT.failure, message: String(error) };
}
