import { Option } from 'commander';
import { type AddCommand, EXIT, parseNumberFlag } from '../../product/cli/kit.js';
import { createLogger } from '../../product/shared/logger.js';
import { startLocalWandb } from '../local-wandb/listen.js';

/** API key the local server expects when neither --api-key nor WANDB_API_KEY is set. */
// 40 characters, no dash: the Python SDK 0.30 rejects shorter keys (the part after a dash must be 40+).
export const LOCAL_DEFAULT_API_KEY = 'localdevkey00000000000000000000000000000';

// Not parseIntegerFlag: --fault-rate is a fraction, and the other flags have always accepted one.
const number =
  (flag: string, min: number, max = Number.POSITIVE_INFINITY) =>
  (text: string) =>
    parseNumberFlag(text, flag, { min, max });

/** `gpu-dashboard local-server`: the W&B-compatible server for tests, benchmarks and the demo (docs/behaviour.md §10). */
export const addLocalServerCommand: AddCommand = (program, io, finish) => {
  program
    .command('local-server')
    .description('Run a local W&B-compatible server (GraphQL, file stream, uploads) backed by --data-dir')
    .addOption(
      new Option('--port <n>', 'port to listen on (0 picks a free one)')
        .default(0)
        .argParser(number('--port', 0, 65535)),
    )
    .option('--data-dir <dir>', 'state directory (kept across restarts)', '.local-wandb')
    .option('--seed <file>', 'seed JSON loaded once into an empty data dir')
    .option(
      '--api-key <key>',
      `API key clients must send (default: WANDB_API_KEY, else "${LOCAL_DEFAULT_API_KEY}")`,
    )
    .addOption(
      new Option('--latency-ms <n>', 'delay added to every request')
        .default(0)
        .argParser(number('--latency-ms', 0)),
    )
    .addOption(
      new Option('--fault-rate <p>', 'fraction of requests failing with 500/502/503/429/reset')
        .default(0)
        .argParser(number('--fault-rate', 0, 1)),
    )
    .addOption(
      new Option('--fault-seed <s>', 'seed of the fault sequence')
        .default(1)
        .argParser(number('--fault-seed', 0)),
    )
    .option(
      '--fail-history <run-id>',
      "answer this run's history and events with HTTP 500 every time (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .addHelpText(
      'after',
      '\nExample:\n  gpu-dashboard local-server --port 8080 --data-dir /tmp/wandb-local --seed fleet.json\n',
    )
    .action(
      async (opts: {
        port: number;
        dataDir: string;
        seed?: string;
        apiKey?: string;
        latencyMs: number;
        faultRate: number;
        faultSeed: number;
        failHistory: string[];
      }) => {
        const apiKey = opts.apiKey ?? io.env.WANDB_API_KEY ?? LOCAL_DEFAULT_API_KEY;
        const log = createLogger({
          stream: io.stderr,
          clock: io.clock,
          format: io.isTty ? 'pretty' : 'json',
          secrets: [apiKey],
        });
        const server = await startLocalWandb({
          dataDir: opts.dataDir,
          apiKey,
          seed: opts.seed,
          latencyMs: opts.latencyMs,
          faultRate: opts.faultRate,
          faultSeed: opts.faultSeed,
          failingHistory: opts.failHistory,
          port: opts.port,
          log,
        });
        io.stdout.write(`listening on ${server.url}\n`);
        await waitForSignal();
        await server.close();
        log.info('local_server.stopped', { stats: server.stats() });
        finish(EXIT.ok);
      },
    );
};

/** Resolves on the first SIGINT or SIGTERM (Ctrl-C, `docker stop`), for commands that serve until told to stop. */
export function waitForSignal(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
