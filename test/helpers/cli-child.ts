// Runs only the local-server command in a child process, so the CLI test can send it a real SIGTERM.

import { runCli } from '../../src/product/cli/program.js';
import { systemClock } from '../../src/product/shared/clock.js';
import { addLocalServerCommand } from '../../src/world/cli/local-server.js';

const code = await runCli(
  process.argv.slice(2),
  {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    clock: systemClock,
    isTty: false,
    cwd: process.cwd(),
  },
  [addLocalServerCommand],
);
process.exit(code);
