// Runs only the `run` command in a child process, so a test can SIGKILL the job (not the server) mid-publish.
// The clock is fixed (TEST_NOW, an ISO instant) so the rows' logged_at can be computed by hand.
import { runCli } from '../../src/product/cli/program.js';
import { addRunCommand } from '../../src/product/cli/run.js';
import { fixedClock } from './fakes.js';

const code = await runCli(
  process.argv.slice(2),
  {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    clock: fixedClock(process.env.TEST_NOW ?? '2025-01-10T03:00:00Z'),
    isTty: false,
    cwd: process.cwd(),
  },
  [addRunCommand],
);
process.exit(code);
