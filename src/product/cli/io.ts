import type { Writable } from 'node:stream';
import type { Clock } from '../shared/clock.js';

/** Everything a command touches outside its arguments; built once in main.ts, faked in tests. */
export type CliIo = {
  stdout: Writable;
  stderr: Writable;
  env: Readonly<Record<string, string | undefined>>;
  clock: Clock;
  /** Whether stderr is a terminal: readable lines and progress bars instead of JSON lines. */
  isTty: boolean;
  cwd: string;
  /** Waits between W&B retries; real timers unless a test passes its own. */
  sleep?: (ms: number) => Promise<void>;
};
