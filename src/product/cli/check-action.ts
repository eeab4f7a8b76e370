import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cloudWatchLogSource } from '../checker/cloudwatch-log.js';
import { formatReport } from '../checker/format-report.js';
import { runCheck } from '../checker/run-check.js';
import { loadConfig } from '../config/load.js';
import { addDays, localDateOf } from '../shared/dates.js';
import { UsageError } from '../shared/errors.js';
import type { ExitCode } from './exit.js';
import { EXIT } from './exit.js';
import type { CliIo } from './io.js';
import { checkOutDir, parseDateFlag, resolveConfigPath } from './options.js';
import {
  concurrencyFrom,
  createCliLogger,
  createCliWandb,
  DEFAULT_WANDB_BASE_URL,
  resolveApiKey,
} from './wandb-deps.js';

export type CheckFlags = {
  config?: string;
  date?: string;
  json?: boolean;
  out?: string;
  api?: string;
  verbose?: boolean;
};

export async function checkCommand(flags: CheckFlags, io: CliIo): Promise<ExitCode> {
  const outDir = flags.out === undefined ? undefined : await checkOutDir(flags.out, '--out', io);
  const configPath = resolveConfigPath(flags.config, io);
  const config = await loadConfig(configPath);
  const today = localDateOf(io.clock.now(), config.timezone);
  const date = flags.date === undefined ? addDays(today, -1) : parseDateFlag(flags.date, '--date');
  if (date > today) throw new UsageError(`--date: ${date} is after today (${today} in ${config.timezone})`);
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
    const report = await runCheck(config, { date, slackWebhookUrl }, { wandb, jobLog, clock: io.clock, log });
    const json = `${JSON.stringify(report, null, 2)}\n`;
    io.stdout.write(flags.json ? json : formatReport(report));
    if (outDir !== undefined) {
      await mkdir(outDir, { recursive: true });
      await writeFile(join(outDir, 'check-report.json'), json);
    }
    return report.healthy ? EXIT.ok : EXIT.failure;
  } finally {
    jobLog.close();
  }
}
