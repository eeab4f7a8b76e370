import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeTables } from '../calculator/write-tables.js';
import { loadConfig } from '../config/load.js';
import { runJob } from '../job/run-job.js';
import { writeDatasetFile } from '../uploader/dataset-file.js';
import type { ExitCode } from './exit.js';
import { EXIT } from './exit.js';
import type { CliIo } from './io.js';
import { resolveJobDates } from './job-dates.js';
import { checkOutDir, resolveConfigPath } from './options.js';
import { createProgress } from './progress.js';
import {
  concurrencyFrom,
  createCliLogger,
  createCliWandb,
  DEFAULT_WANDB_BASE_URL,
  randomRunId,
  resolveApiKey,
} from './wandb-deps.js';

export type RunOptions = {
  config?: string;
  startDate?: string;
  endDate?: string;
  api?: string;
  out?: string;
  dryRun?: boolean;
  concurrency?: string;
  verbose?: boolean;
};

export async function runCommand(options: RunOptions, io: CliIo): Promise<ExitCode> {
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
    if (outDir !== undefined) {
      await mkdir(outDir, { recursive: true });
      await writeDatasetFile(join(outDir, 'dataset.csv'), output.dataset.rows, output.dataset.extras);
      await writeTables(outDir, output.result.tables);
      await writeFile(
        join(outDir, 'run-report.json'),
        `${JSON.stringify({ ...output.report, requests: wandb.requestCounts() }, null, 2)}\n`,
      );
    }
    return EXIT.ok;
  } finally {
    progress.stop();
  }
}
