import { resolve } from 'node:path';
import { createTablesBuilder } from '../calculator/build-tables.js';
import { writeTables } from '../calculator/write-tables.js';
import { readDatasetFile } from '../uploader/dataset-file.js';
import { EXIT } from './exit.js';
import { CONFIG_HELP, loadConfigFor, parseDateFlag } from './options.js';
import type { AddCommand } from './program.js';

type TablesOptions = { dataset: string; config?: string; date: string; out: string };

/** `tables`: the calculator on a dataset file, offline. */
export const addTablesCommand: AddCommand = (program, io, finish) => {
  program
    .command('tables')
    .description('compute the daily, weekly, monthly, overall and summary tables from a dataset CSV, offline')
    .requiredOption('--dataset <csv>', "dataset CSV (ours or the Python original's all_runs_data.csv)")
    .option('--config <file>', CONFIG_HELP)
    .requiredOption('--date <YYYY-MM-DD>', 'target date T (local date in the config time zone)')
    .requiredOption(
      '--out <dir>',
      'directory for daily.csv, weekly.csv, monthly.csv, overall.csv, summary.csv',
    )
    .addHelpText(
      'after',
      '\nExample:\n  gpu-dashboard tables --dataset all_runs_data.csv --date 2025-01-31 --out out/',
    )
    .action(async (options: TablesOptions) => {
      const target = parseDateFlag(options.date, '--date');
      const config = await loadConfigFor(options.config, io);
      const builder = createTablesBuilder(config, target);
      await readDatasetFile(resolve(io.cwd, options.dataset), (row) => builder.add(row));
      const result = builder.finish();
      const written = await writeTables(resolve(io.cwd, options.out), result.tables);
      io.stderr.write(
        `${JSON.stringify({ event: 'tables.written', target_date: target, files: written, ...result.counts })}\n`,
      );
      finish(EXIT.ok);
    });
};
