import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option } from 'commander';
import { type AddCommand, EXIT, parseIntegerFlag, randomRunId } from '../../product/cli/kit.js';
import { formatReport, memoryLogSource, runCheck } from '../../product/index.js';
import { UsageError } from '../../product/shared/errors.js';
import { DEMO_ANCHOR_DATE, DEMO_DAYS } from '../demo/demo-config.js';
import { readLogEvents } from '../demo/job-log-events.js';
import { formatDemoReport } from '../demo/report.js';
import { type DemoCheck, runDemo } from '../demo/run-demo.js';
import { LOCAL_DEFAULT_API_KEY, waitForSignal } from './local-server.js';

const SHIPPED_CONFIG = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'demo', 'config.yaml');

type DemoOptions = { config?: string; dir: string; seed: string; serve?: boolean; port: string };

/**
 * The demo's `check` step, the one place it is wired: runCheck as `gpu-dashboard check` runs it,
 * with the demo's job log file standing in for CloudWatch. Its W&B alert lands on the local server.
 */
export const demoCheck: DemoCheck = async ({ config, date, provenance, wandb, clock, jobLogPath, log }) => {
  const jobLog = memoryLogSource(jobLogPath, await readLogEvents(jobLogPath));
  const report = await runCheck(config, { date, provenance }, { wandb, jobLog, clock, log });
  return { report, text: formatReport(report) };
};

/** `demo`: the whole product on generated data, no W&B account needed (README "Demo"). */
export const addDemoCommand: AddCommand = (program, io, finish) => {
  program
    .command('demo')
    .description(
      `replay ${DEMO_DAYS} nightly jobs on a generated fleet against an in-process local W&B server, then check and summarise`,
    )
    .option(
      '--config <file>',
      `demo config; its dates are written for ${DEMO_DAYS} days ending ${DEMO_ANCHOR_DATE} and moved to end yesterday`,
      SHIPPED_CONFIG,
    )
    .option('--dir <dir>', 'state folder, emptied on each demo', '.demo')
    .option('--seed <n>', 'fleet seed (same seed and day, same data)', '1')
    .option('--serve', 'keep the server and its dashboard page up until Ctrl-C')
    .addOption(new Option('--port <n>', 'port of the server (0 picks a free one)').default('0'))
    .addHelpText('after', '\nExamples:\n  gpu-dashboard demo\n  gpu-dashboard demo --serve --port 8080\n')
    .action(async (options: DemoOptions) => {
      const began = io.clock.now().getTime();
      const configPath = resolve(io.cwd, options.config ?? SHIPPED_CONFIG);
      const configText = await readFile(configPath, 'utf8').catch((error: unknown) => {
        throw new UsageError(`--config: cannot read ${configPath}`, { cause: error });
      });
      const result = await runDemo(
        {
          dir: resolve(io.cwd, options.dir),
          configText,
          configSource: configPath,
          seed: parseIntegerFlag(options.seed, '--seed', { min: 0, max: 2 ** 32 - 1 }),
          apiKey: LOCAL_DEFAULT_API_KEY,
          port: parseIntegerFlag(options.port, '--port', { min: 0, max: 65_535 }),
          env: io.env,
        },
        {
          clock: io.clock,
          randomId: randomRunId,
          onJob: (line) => io.stderr.write(`${line}\n`),
          check: demoCheck,
        },
      );
      const serverUrl = options.serve ? result.server.url : undefined;
      if (!options.serve) await result.server.close();
      io.stdout.write(
        formatDemoReport(result, { cwd: io.cwd, serverUrl, elapsedMs: io.clock.now().getTime() - began }),
      );
      if (options.serve) {
        await waitForSignal();
        await result.server.close();
      }
      finish(EXIT.ok);
    });
};
