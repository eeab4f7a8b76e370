import { resolve } from 'node:path';
import { createTablesBuilder } from '../calculator/index.js';
import { readDatasetPath } from '../uploader/dataset-path.js';
import type { ExitCode } from './exit.js';
import { EXIT } from './exit.js';
import type { CliIo } from './io.js';
import { loadConfigFor, parseDateFlag } from './options.js';
import { checkOutDir, writeOutputs } from './out-path.js';
import { createCliLogger } from './wandb-deps.js';
import { writeTables } from './write-tables.js';

export type TablesOptions = { dataset: string; config?: string; date: string; out: string };

export async function tablesCommand(options: TablesOptions, io: CliIo): Promise<ExitCode> {
  const target = parseDateFlag(options.date, '--date');
  const outDir = await checkOutDir(options.out, '--out', io);
  // Levelled by $LOG_LEVEL (debug shows what was read).
  const log = createCliLogger(io, []);
  const loaded = await loadConfigFor(options.config, io);
  const { config } = loaded;
  const dataset = resolve(io.cwd, options.dataset);
  log.debug('tables.options', {
    dataset,
    config: loaded.source,
    time_zone: config.timezone,
    target_date: target,
    out: outDir,
  });
  const started = io.clock.now().getTime();
  const builder = createTablesBuilder(config, target);
  const shape = await readDatasetPath(dataset, config.timezone, (row) => builder.add(row));
  log.debug('tables.dataset_read', {
    rows: shape.rowCount,
    extra_columns: shape.extras,
    ms: io.clock.now().getTime() - started,
  });
  const result = builder.finish();
  const written = await writeOutputs('--out', outDir, () => writeTables(outDir, result.tables));
  log.info('tables.written', { target_date: target, files: written, ...result.counts });
  return EXIT.ok;
}
