import { CONFIG_HELP } from './options.js';
import type { AddCommand } from './program.js';
import type { RunOptions } from './run-action.js';

/** `run`: the nightly job (docs/behaviour.md §9). */
export const addRunCommand: AddCommand = (program, io, finish) => {
  program
    .command('run')
    .description(
      'the nightly job: fetch runs from W&B, update the dataset artifact, publish tables, send alerts',
    )
    .option('--config <file>', CONFIG_HELP)
    .option(
      '--start-date <YYYY-MM-DD>',
      'first local date to fetch (default: yesterday, or the --end-date day alone)',
    )
    .option('--end-date <YYYY-MM-DD>', 'target date T, last local date to fetch (default: yesterday)')
    .option('--api <key>', 'W&B API key (default: $WANDB_API_KEY); never logged')
    .option(
      '--out <dir>',
      'also write dataset.csv, the five tables and run-report.json here (created if missing; checked before the job starts)',
    )
    .option(
      '--company <name>',
      'fetch only this company (repeatable); every other row of the dataset is kept, tables use all of it',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--dry-run', 'fetch and compute, publish nothing (still writes --out)')
    .option('--concurrency <n>', 'concurrent W&B requests (default: max_workers of the config)')
    .option('--verbose', 'debug logging')
    .addHelpText(
      'after',
      '\nExamples:\n  gpu-dashboard run\n  gpu-dashboard run --start-date 2025-01-01 --end-date 2025-01-31 --out backfill/',
    )
    .action(async (options: RunOptions) => {
      const { runCommand } = await import('./run-action.js');
      finish(await runCommand(options, io));
    });
};
