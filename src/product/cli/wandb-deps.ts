import { randomInt } from 'node:crypto';
import type { Config } from '../config/types.js';
import { UsageError } from '../shared/errors.js';
import { createLogger, LOG_LEVELS, type Logger, type LogLevel, parseLogLevel } from '../shared/logger.js';
import { createWandbClient, type WandbClient } from '../wandb/client.js';
import { generateRunId } from '../wandb/run-writer.js';
import type { CliIo } from './io.js';
import { parseIntegerFlag } from './options.js';

export const DEFAULT_WANDB_BASE_URL = 'https://api.wandb.ai';

/** --api, else WANDB_API_KEY; the key is redacted from every log line. */
export function resolveApiKey(flag: string | undefined, io: Pick<CliIo, 'env'>): string {
  const key = flag ?? io.env.WANDB_API_KEY;
  if (!key) throw new UsageError('no W&B API key: set WANDB_API_KEY or pass --api');
  return key;
}

/** The command's logger: `debug` with --verbose, else $LOG_LEVEL (default info); exit 2 on an unknown level. */
export function createCliLogger(io: CliIo, secrets: readonly string[], verbose = false): Logger {
  return createLogger({
    stream: io.stderr,
    clock: io.clock,
    format: io.isTty ? 'pretty' : 'json',
    level: verbose ? 'debug' : logLevelFromEnv(io.env.LOG_LEVEL),
    secrets,
  });
}

function logLevelFromEnv(text: string | undefined): LogLevel {
  if (text === undefined || text === '') return 'info';
  const level = parseLogLevel(text);
  if (level === undefined)
    throw new UsageError(`LOG_LEVEL: "${text}" is not one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

export function createCliWandb(apiKey: string, io: CliIo, log: Logger, concurrency: number): WandbClient {
  return createWandbClient({
    baseUrl: io.env.WANDB_BASE_URL ?? DEFAULT_WANDB_BASE_URL,
    apiKey,
    log,
    concurrency,
    ...(io.sleep ? { sleep: io.sleep } : {}),
  });
}

/** An 8-character W&B run id from a cryptographic source (ids must not collide across concurrent jobs). */
export function randomRunId(): string {
  return generateRunId(() => randomInt(2 ** 32) / 2 ** 32);
}

/** --concurrency, else the config's max_workers. */
export function concurrencyFrom(flag: string | undefined, config: Config): number {
  if (flag === undefined) return config.max_workers;
  return parseIntegerFlag(flag, '--concurrency', {
    min: 1,
    message: (value) => `--concurrency: "${value}" is not a positive integer`,
  });
}
