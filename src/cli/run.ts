import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeTables } from '../calculator/write-tables.js';
import { loadConfig } from '../config/load.js';
import { runJob } from '../pipeline.js';
import { writeDatasetFile } from '../uploader/dataset-file.js';
import { EXIT } from './exit.js';
import { resolveJobDates } from './job-dates.js';
import { CONFIG_HELP, checkOutDir, resolveConfigPath } from './options.js';
import type { AddCommand } from './program.js';
import { createProgress } from './progress.js';
import {
  concurrencyFrom,
  createCliLogger,
  createCliWandb,
  DEFAULT_WANDB_BASE_URL,
  randomRunId,
  resolveApiKey,
} from './wandb-deps.js';

type RunOptions = {
  config?: string;
  startDate?: string;
  endDate?: string;
  api?: string;
  out?: string;
  dryRun?: boolean;
  concurrency?: string;
  verbose?: boolean;
};

/** `run`: the nightly job (SPEC §9). */
export const addRunCommand: AddCommand = (program, io, finish) => {
  program
    .command('run')
    .description(
      'the nightly job: fetch runs from W&B, update the dataset artifact, publish tables, send alerts',
    )
    .option('--config <file>', CONFIG_HELP)
    .option(
      '--start-date <YYYY-MM-DD>',
      'first local date to fetch (default: yesterday, or the earliest schedule date with --end-date)',
    )
    .option('--end-date <YYYY-MM-DD>', 'target date T, last local date to fetch (default: yesterday)')
    .option('--api <key>', 'W&B API key (default: $WANDB_API_KEY); never logged')
    .option(
      '--out <dir>',
      'also write dataset.csv, the five tables and run-report.json here (created if missing; checked before the job starts)',
    )
    .option('--dry-run', 'fetch and compute, publish nothing (still writes --out)')
    .option('--concurrency <n>', 'concurrent W&B requests (default: max_workers of the config)')
    .option('--verbose', 'debug logging')
    .addHelpText(
      'after',
      '\nExamples:\n  gpu-dashboard run\n  gpu-dashboard run --start-date 2025-01-01 --end-date 2025-01-31 --out backfill/',
    )
    .action(async (options: RunOptions) => {
      const outDir = options.out === undefined ? undefined : await checkOutDir(options.out, '--out', io);
      const configPath = resolveConfigPath(options.config, io);
      const config = await loadConfig(configPath);
      const dates = resolveJobDates(options, config, io.clock.now());
      const apiKey = resolveApiKey(options.api, io);
      const slackWebhookUrl = io.env[config.alerts.slack_webhook_url_env] || undefined;
      const log = createCliLogger(io, [apiKey, slackWebhookUrl ?? ''], options.verbose);
      const concurrency = concurrencyFrom(options.concurrency, config);
      log.debug('run.options', {
        config: configPath,
        time_zone: config.timezone,
        start_date: dates.start,
        end_date: dates.end,
        dry_run: Boolean(options.dryRun),
        concurrency,
        out: outDir ?? null,
        wandb_base_url: io.env.WANDB_BASE_URL ?? DEFAULT_WANDB_BASE_URL,
        slack: slackWebhookUrl !== undefined,
      });
      const wandb = createCliWandb(apiKey, io, log, concurrency);
      const progress = createProgress(io.stderr, io.isTty);
      try {
        const output = await runJob(
          config,
          { start: dates.start, end: dates.end, dryRun: Boolean(options.dryRun), slackWebhookUrl },
          {
            wandb,
            wandbBaseUrl: io.env.WANDB_BASE_URL ?? DEFAULT_WANDB_BASE_URL,
            clock: io.clock,
            log,
            randomId: randomRunId,
            onProgress: progress.update,
          },
        );
        progress.stop();
        if (outDir !== undefined) {
          await mkdir(outDir, { recursive: true });
          await writeDatasetFile(join(outDir, 'dataset.csv'), output.dataset.rows, output.dataset.extras);
          await writeTables(outDir, output.result.tables);
          await writeFile(
            join(outDir, 'run-report.json'),
            `${JSON.stringify({ ...output.report, requests: wandb.requestCounts() }, null, 2)}\n`,
          );
        }
        log.info('pipeline.completed', {
          target_date: dates.end,
          start_date: dates.start,
          dry_run: Boolean(options.dryRun),
          rows: output.dataset.rows.length,
        });
        finish(EXIT.ok);
      } catch (error) {
        progress.stop();
        log.error('pipeline.failed', { target_date: dates.end, error });
        throw error;
      }
    });
};
