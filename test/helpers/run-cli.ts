import { PassThrough } from 'node:stream';
import { COMMANDS } from '../../src/product/cli/commands.js';
import type { CliIo } from '../../src/product/cli/io.js';
import { runCli } from '../../src/product/cli/program.js';
import { WORLD_COMMANDS } from '../../src/world/cli/commands.js';
import { fixedClock } from './fakes.js';

/** Runs the real CLI in-process with captured output; for CLI tests. */
export async function runCliCaptured(
  argv: string[],
  overrides: Partial<CliIo> = {},
): Promise<{ code: number; stdout: string; stderr: string; stderrRaw: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  stdout.on('data', (c: Buffer) => chunks.out.push(c));
  stderr.on('data', (c: Buffer) => chunks.err.push(c));
  const code = await runCli(
    argv,
    {
      stdout,
      stderr,
      env: {},
      clock: fixedClock('2025-01-10T03:00:00Z'),
      isTty: false,
      cwd: process.cwd(),
      ...overrides,
    },
    [...COMMANDS, ...WORLD_COMMANDS],
  );
  return {
    code,
    stdout: Buffer.concat(chunks.out).toString('utf8'),
    stderr: readableErrors(Buffer.concat(chunks.err).toString('utf8')),
    stderrRaw: Buffer.concat(chunks.err).toString('utf8'),
  };
}

/**
 * Off a terminal the CLI writes its usage and fatal errors as JSON lines (`cli.usage`, `cli.failed`);
 * tests that check a message read it back as the text a terminal would show. `stderrRaw` keeps the lines.
 */
export function readableErrors(stderr: string): string {
  return stderr
    .split('\n')
    .map((line) => {
      if (!line.startsWith('{')) return line;
      try {
        const parsed = JSON.parse(line) as { event?: unknown; message?: unknown };
        const isCliError = parsed.event === 'cli.usage' || parsed.event === 'cli.failed';
        return isCliError && typeof parsed.message === 'string' ? parsed.message : line;
      } catch {
        return line;
      }
    })
    .join('\n');
}
