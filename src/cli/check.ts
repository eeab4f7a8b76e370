import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cloudWatchLogSource } from '../checker/cloudwatch-log.js';
import { formatReport } from '../checker/format-report.js';
import { runCheck } from '../checker/run-check.js';
import { loadConfig } from '../config/load.js';
import { addDays, localDateOf } from '../shared/dates.js';
import { UsageError } from '../shared/errors.js';
import { EXIT } from './exit.js';
import { CONFIG_HELP, checkOutDir, parseDateFlag, resolveConfigPath } from './options.js';
import type { AddCommand } from './program.js';
import {
  concurrencyFrom,
  createCliLogger,
  createCliWandb,
  DEFAULT_WANDB_BASE_URL,
  resolveApiKey,
} from './wandb-deps.js';

type CheckFlags = {
  config?: string;
  date?: string;
  json?: boolean;
  out?: string;
  api?: string;
  verbose?: boolean;
};

/** `check`: the morning health check (SPEC §8); exit 0 healthy, 1 findings. */
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
      const outDir = flags.out === undefined ? undefined : await checkOutDir(flags.out, '--out', io);
      const configPath = resolveConfigPath(flags.config, io);
      const config = await loadConfig(configPath);
      const today = localDateOf(io.clock.now(), config.timezone);
      const date = flags.date === undefined ? addDays(today, -1) : parseDateFlag(flags.date, '--date');
      if (date > today)
        throw new UsageError(`--date: ${date} is after today (${today} in ${config.timezone})`);
      const apiKey = resolveApiKey(flags.api, io);
      const slackWebhookUrl = io.env[config.alerts.slack_webhook_url_env] || undefined;
      const log = createCliLogger(io, [apiKey, slackWebhookUrl ?? ''], flags.verbose);
      log.debug('check.options', {
        config: configPath,
        time_zone: config.timezone,
        date,
        out: outDir ?? null,
        wandb_base_url: io.env.WANDB_BASE_URL ?? DEFAULT_WANDB_BASE_URL,
        log_group: config.cloudwatch.log_group,
        slack: slackWebhookUrl !== undefined,
      });
      const wandb = createCliWandb(apiKey, io, log, concurrencyFrom(undefined, config));
      const jobLog = cloudWatchLogSource({
        logGroup: config.cloudwatch.log_group,
        region: config.cloudwatch.region,
        env: io.env,
      });
      try {
        const report = await runCheck(
          config,
          { date, slackWebhookUrl },
          { wandb, jobLog, clock: io.clock, log },
        );
        const json = `${JSON.stringify(report, null, 2)}\n`;
        io.stdout.write(flags.json ? json : formatReport(report));
        if (outDir !== undefined) {
          await mkdir(outDir, { recursive: true });
          await writeFile(join(outDir, 'check-report.json'), json);
        }
        finish(report.healthy ? EXIT.ok : EXIT.failure);
      } finally {
        jobLog.close();
      }
    });
};
