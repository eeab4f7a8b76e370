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

/**
 * Exits once everything written to the streams has been handed to the OS: `process.exit` drops what a
 * pipe has not taken yet (Node's docs, "process.exit()": pending writes to process.stdout may be lost),
 * so `check --json | jq` would read a cut report. An empty write's callback runs after the writes before it.
 */
export async function exitWhenFlushed(
  code: number,
  streams: readonly NodeJS.WritableStream[],
  exit: (code: number) => never,
): Promise<never> {
  await Promise.all(streams.map((s) => new Promise<void>((resolve) => s.write('', () => resolve()))));
  return exit(code);
}
