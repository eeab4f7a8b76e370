import { CONFIG_HELP } from './options.js';
import type { AddCommand } from './program.js';
import type { StatementFlags } from './statement-action.js';

/** `statement`: a month's statement per company, from the dataset file or the artifact. */
export const addStatementCommand: AddCommand = (program, io, finish) => {
  program
    .command('statement')
    .description("write each company's month-end statement (an HTML page and a CSV) from the dataset")
    .option('--config <file>', CONFIG_HELP)
    .requiredOption('--month <YYYY-MM>', 'the month (local dates in the config time zone)')
    .option(
      '--company <name>',
      'only this company (repeatable; default: every company with nodes in the month)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--dataset <path>',
      'dataset CSV or folder of month files (default: the latest dataset artifact, through the W&B API)',
    )
    .option('--out <dir>', 'directory for statement-<YYYY-MM>-<company>.html and .csv (default: statements)')
    .option(
      '--publish',
      'also log each statement to W&B as a Statement_<YYYY-MM> run tagged with its company',
    )
    .option('--api <key>', 'W&B API key (default: $WANDB_API_KEY); never logged')
    .option('--verbose', 'debug logging')
    .addHelpText(
      'after',
      '\nExamples:\n  gpu-dashboard statement --month 2025-01\n  gpu-dashboard statement --month 2025-01 --company abeja --dataset all_runs_data.csv --out out/',
    )
    .action(async (flags: StatementFlags) => {
      const { statementCommand } = await import('./statement-action.js');
      finish(await statementCommand(flags, io));
    });
};
