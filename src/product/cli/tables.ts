import { CONFIG_HELP } from './options.js';
import type { AddCommand } from './program.js';
import type { TablesOptions } from './tables-action.js';

/** `tables`: the calculator on a dataset file, offline. */
export const addTablesCommand: AddCommand = (program, io, finish) => {
  program
    .command('tables')
    .description('compute the daily, weekly, monthly, overall and summary tables from a dataset CSV, offline')
    .requiredOption(
      '--dataset <path>',
      "dataset CSV (ours or the Python original's all_runs_data.csv), or a folder of them (the artifact as downloaded: all_runs_data/<YYYY-MM>.csv)",
    )
    .option('--config <file>', CONFIG_HELP)
    .requiredOption('--date <YYYY-MM-DD>', 'target date T (local date in the config time zone)')
    .requiredOption(
      '--out <dir>',
      'directory for daily.csv, weekly.csv, monthly.csv, overall.csv, summary.csv (created if missing)',
    )
    .addHelpText(
      'after',
      '\nExample:\n  gpu-dashboard tables --dataset all_runs_data.csv --date 2025-01-31 --out out/',
    )
    .action(async (options: TablesOptions) => {
      const { tablesCommand } = await import('./tables-action.js');
      finish(await tablesCommand(options, io));
    });
};
