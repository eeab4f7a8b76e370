import { join } from 'node:path';
import { runJob } from '../job/run-job.js';
import { writeDatasetFile } from '../uploader/dataset-file.js';
import type { ExitCode } from './exit.js';
import { EXIT } from './exit.js';
import type { CliIo } from './io.js';
import { resolveJobDates } from './job-dates.js';
import { loadConfigFor, selectedCompanies } from './options.js';
import { checkOutDir, writeOutputFile, writeOutputs } from './out-path.js';
import { createProgress } from './progress.js';
import { cliProvenance } from './provenance.js';
import {
  concurrencyFrom,
  createCliLogger,
  createCliWandb,
  randomRunId,
  resolveApiKey,
  resolveWandbBaseUrl,
} from './wandb-deps.js';
import { writeTables } from './write-tables.js';

export type RunOptions = {
  config?: string;
  startDate?: string;
  endDate?: string;
  api?: string;
  out?: string;
  dryRun?: boolean;
  concurrency?: string;
  verbose?: boolean;
  /** Repeatable: fetch only these companies. */
  company?: string[];
};

export async function runCommand(options: RunOptions, io: CliIo): Promise<ExitCode> {
  const outDir = options.out === undefined ? undefined : await checkOutDir(options.out, '--out', io);
  const loaded = await loadConfigFor(options.config, io);
  const { config } = loaded;
  const dates = resolveJobDates(options, config, io.clock.now());
  const companies = selectedCompanies(options.company, config);
  const concurrency = concurrencyFrom(options.concurrency, config);
  const wandbBaseUrl = resolveWandbBaseUrl(io);
  const apiKey = resolveApiKey(options.api, io);
  const slackWebhookUrl = io.env[config.alerts.slack_webhook_url_env] || undefined;
  const log = createCliLogger(io, [apiKey, slackWebhookUrl ?? ''], options.verbose);
  log.debug('run.options', {
    config: loaded.source,
    time_zone: config.timezone,
    start_date: dates.start,
    end_date: dates.end,
    dry_run: Boolean(options.dryRun),
    companies: companies ?? 'all',
    concurrency,
    out: outDir ?? null,
    wandb_base_url: wandbBaseUrl,
    slack: slackWebhookUrl !== undefined,
  });
  const wandb = createCliWandb(apiKey, wandbBaseUrl, io, log, concurrency);
  const progress = createProgress(io.stderr, io.isTty);
  try {
    const output = await runJob(
      config,
      {
        start: dates.start,
        end: dates.end,
        dryRun: Boolean(options.dryRun),
        slackWebhookUrl,
        companies,
        provenance: cliProvenance(loaded.sha256, io),
      },
      {
        wandb,
        wandbBaseUrl,
        clock: io.clock,
        log,
        randomId: randomRunId,
        onProgress: progress.update,
      },
    );
    if (outDir !== undefined) {
      await writeOutputs('--out', outDir, async () => {
        const dataset = await output.dataset.readAll();
        await writeDatasetFile(join(outDir, 'dataset.csv'), dataset.rows, dataset.extras);
        await writeTables(outDir, output.result.tables);
        await writeOutputFile(
          '--out',
          join(outDir, 'run-report.json'),
          `${JSON.stringify({ ...output.report, requests: wandb.requestCounts() }, null, 2)}\n`,
        );
      });
    }
    return EXIT.ok;
  } finally {
    progress.stop();
  }
}
