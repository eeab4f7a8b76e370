import type { CheckFlags } from './check-action.js';
import { CONFIG_HELP } from './options.js';
import type { AddCommand } from './program.js';

/** `check`: the morning health check (docs/behaviour.md §8); exit 0 healthy, 1 findings. */
export const addCheckCommand: AddCommand = (program, io, finish) => {
  program
    .command('check')
    .description(
      'health check: dashboard latest runs, the job log in CloudWatch, anomalies and duplicate-init runs on T',
    )
    .option('--config <file>', CONFIG_HELP)
    .option('--date <YYYY-MM-DD>', 'target date T to check (default: yesterday)')
    .option('--json', 'print the report as JSON on stdout instead of a table')
    .option('--out <dir>', 'also write check-report.json here (created if missing)')
    .option('--api <key>', 'W&B API key (default: $WANDB_API_KEY); never logged')
    .option('--verbose', 'debug logging')
    .addHelpText(
      'after',
      '\nExit codes: 0 no findings, 1 findings, 2 bad usage or config.\n\nExamples:\n  gpu-dashboard check\n  gpu-dashboard check --date 2025-01-31 --json --out reports/',
    )
    .action(async (flags: CheckFlags) => {
      const { checkCommand } = await import('./check-action.js');
      finish(await checkCommand(flags, io));
    });
};
