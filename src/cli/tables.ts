import { resolve } from 'node:path';
import { createTablesBuilder } from '../calculator/build-tables.js';
import { writeTables } from '../calculator/write-tables.js';
import { loadConfig } from '../config/load.js';
import { readDatasetFile } from '../uploader/dataset-file.js';
import { EXIT } from './exit.js';
import { CONFIG_HELP, checkOutDir, parseDateFlag, resolveConfigPath } from './options.js';
import type { AddCommand } from './program.js';
import { createCliLogger } from './wandb-deps.js';

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
      'directory for daily.csv, weekly.csv, monthly.csv, overall.csv, summary.csv (created if missing)',
    )
    .addHelpText(
      'after',
      '\nExample:\n  gpu-dashboard tables --dataset all_runs_data.csv --date 2025-01-31 --out out/',
    )
    .action(async (options: TablesOptions) => {
      const target = parseDateFlag(options.date, '--date');
      const outDir = await checkOutDir(options.out, '--out', io);
      // Levelled by $LOG_LEVEL (debug shows what was read).
      const log = createCliLogger(io, []);
      const configPath = resolveConfigPath(options.config, io);
      const config = await loadConfig(configPath);
      const dataset = resolve(io.cwd, options.dataset);
      log.debug('tables.options', {
        dataset,
        config: configPath,
        time_zone: config.timezone,
        target_date: target,
        out: outDir,
      });
      const started = io.clock.now().getTime();
      const builder = createTablesBuilder(config, target);
      const shape = await readDatasetFile(dataset, config.timezone, (row) => builder.add(row));
      log.debug('tables.dataset_read', {
        rows: shape.rowCount,
        extra_columns: shape.extras,
        ms: io.clock.now().getTime() - started,
      });
      const result = builder.finish();
      const written = await writeTables(outDir, result.tables);
      log.info('tables.written', { target_date: target, files: written, ...result.counts });
      finish(EXIT.ok);
    });
};
