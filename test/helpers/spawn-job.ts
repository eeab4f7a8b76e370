import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { readableErrors } from './run-cli.js';

export type JobExit = {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Killed by the hang guard below, not by the test. */
  isHung: boolean;
};

const CHILD = join(import.meta.dirname, 'run-child.ts');
// `--import tsx` resolves from the working directory, so the child runs in the repository root;
// pass absolute paths for --config and --out.
const ROOT = resolve(import.meta.dirname, '..', '..');
/** A child that neither ends nor gets killed within this long has hung: it is killed and the test fails. */
const HANG_MS = 60_000;

/** `gpu-dashboard run <args>` in a child process (see run-child.ts) with its clock fixed at `now`. */
export function spawnRunJob(
  args: readonly string[],
  options: { baseUrl: string; apiKey: string; now: string },
): { child: ChildProcess; exited: Promise<JobExit> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, 'run', ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      WANDB_BASE_URL: options.baseUrl,
      WANDB_API_KEY: options.apiKey,
      TEST_NOW: options.now,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  let isHung = false;
  const timer = setTimeout(() => {
    isHung = true;
    child.kill('SIGKILL');
  }, HANG_MS);
  const exited = new Promise<JobExit>((done, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stderr: readableErrors(stderr), isHung });
    });
  });
  return { child, exited };
}
