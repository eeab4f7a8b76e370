#!/usr/bin/env node
import { systemClock } from '../shared/clock.js';
import { runCli } from './program.js';

// The one place that exits the process: every command returns its code instead.
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  clock: systemClock,
  isTty: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
});
process.exit(code);
