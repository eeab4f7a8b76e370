#!/usr/bin/env node
// The binary's composition root: the product's commands, plus the embedded W&B world's (local server,
// fleet generator, demo) when the command line can reach them. The world is imported lazily, so the
// nightly `run` and `check` load none of it; the product itself never imports the world.
import { COMMANDS } from './product/cli/commands.js';
import { exitWhenFlushed } from './product/cli/exit.js';
import { runCli } from './product/cli/program.js';
import { systemClock } from './product/shared/clock.js';

const WORLD_COMMAND_NAMES: readonly string[] = ['local-server', 'generate-fleet', 'demo'];
const argv = process.argv.slice(2);

/** True when argv names a world command or asks for the whole program's help (which lists them). */
function reachesWorld(args: readonly string[]): boolean {
  const first = args[0];
  if (first === undefined) return true;
  return WORLD_COMMAND_NAMES.includes(first) || ['help', '--help', '-h'].includes(first);
}

const world = reachesWorld(argv) ? (await import('./world/cli/commands.js')).WORLD_COMMANDS : [];

// The one place that exits the process: every command returns its code instead.
const code = await runCli(
  argv,
  {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    clock: systemClock,
    isTty: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  },
  [...COMMANDS, ...world],
);
await exitWhenFlushed(code, [process.stdout, process.stderr], process.exit);
