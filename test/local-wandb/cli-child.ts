// Runs only the local-server command in a child process, so the CLI test can send it a real SIGTERM.
import { addLocalServerCommand } from '../../src/cli/local-server.js';
import { runCli } from '../../src/cli/program.js';
import { systemClock } from '../../src/shared/clock.js';

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
