import { join } from 'node:path';
import { cloudWatchLogSource } from '../checker/cloudwatch-log.js';
import { formatReport } from '../checker/format-report.js';
import { runCheck } from '../checker/run-check.js';
import { addDays, localDateOf } from '../shared/dates.js';
import { CheckNotRunError, isAppError, UsageError } from '../shared/errors.js';
import { jsonForTerminal } from '../shared/inert-text.js';
import type { ExitCode } from './exit.js';
import { EXIT } from './exit.js';
import type { CliIo } from './io.js';
import { loadConfigFor, parseDateFlag } from './options.js';
import { checkOutDir, writeOutputFile, writeOutputs } from './out-path.js';
import { cliProvenance } from './provenance.js';
import {
  concurrencyFrom,
  createCliLogger,
  createCliWandb,
  resolveApiKey,
  resolveWandbBaseUrl,
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
  const loaded = await loadConfigFor(flags.config, io);
  const { config } = loaded;
  const today = localDateOf(io.clock.now(), config.timezone);
  const date = flags.date === undefined ? addDays(today, -1) : parseDateFlag(flags.date, '--date');
  if (date > today) throw new UsageError(`--date: ${date} is after today (${today} in ${config.timezone})`);
  const wandbBaseUrl = resolveWandbBaseUrl(io);
  const apiKey = resolveApiKey(flags.api, io);
  const slackWebhookUrl = io.env[config.alerts.slack_webhook_url_env] || undefined;
  const log = createCliLogger(io, [apiKey, slackWebhookUrl ?? ''], flags.verbose);
  log.debug('check.options', {
    config: loaded.source,
    time_zone: config.timezone,
    date,
    out: outDir ?? null,
    wandb_base_url: wandbBaseUrl,
    log_group: config.cloudwatch.log_group,
    slack: slackWebhookUrl !== undefined,
  });
  const wandb = createCliWandb(apiKey, wandbBaseUrl, io, log, concurrencyFrom(undefined, config));
  const jobLog = cloudWatchLogSource({
    logGroup: config.cloudwatch.log_group,
    region: config.cloudwatch.region,
    env: io.env,
  });
  try {
    const report = await runCheckOrFail(() =>
      runCheck(
        config,
        { date, slackWebhookUrl, provenance: cliProvenance(loaded.sha256, io) },
        { wandb, jobLog, clock: io.clock, log },
      ),
    );
    // W&B text in the findings: C1 characters escaped too, so the JSON is inert on a terminal.
    const json = `${jsonForTerminal(JSON.stringify(report, null, 2))}\n`;
    io.stdout.write(flags.json ? json : formatReport(report));
    if (outDir !== undefined) {
      await writeOutputs('--out', outDir, () =>
        writeOutputFile('--out', join(outDir, 'check-report.json'), json),
      );
    }
    // Findings are 1; a check that could not look (W&B or CloudWatch unreachable) is 3, so an alarm on
    // the check task tells "unhealthy" from "could not tell".
    if (Object.values(report.checks).includes('unreachable')) return EXIT.checkNotRun;
    return report.healthy ? EXIT.ok : EXIT.failure;
  } finally {
    jobLog.close();
  }
}

async function runCheckOrFail<T>(check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (isAppError(error) && error.exitCode === EXIT.usage) throw error;
    throw new CheckNotRunError(
      `the check could not run: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
}
