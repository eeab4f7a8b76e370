import { randomInt } from 'node:crypto';
import { MAX_CONCURRENCY } from '../config/limits.js';
import type { Config } from '../config/types.js';
import { UsageError } from '../shared/errors.js';
import { createLogger, LOG_LEVELS, type Logger, type LogLevel, parseLogLevel } from '../shared/logger.js';
import { redactUrlCredentials } from '../shared/redact.js';
import { createWandbClient, type WandbClient } from '../wandb/client.js';
import { generateRunId } from '../wandb/run-writer.js';
import type { CliIo } from './io.js';
import { parseIntegerFlag } from './options.js';

export const DEFAULT_WANDB_BASE_URL = 'https://api.wandb.ai';

/**
 * $WANDB_BASE_URL (default https://api.wandb.ai), an http(s) URL without userinfo: W&B takes its key
 * from WANDB_API_KEY (sent as the request's Authorization), and a `user:password@` in the URL would be
 * printed wherever the URL is, so it is refused (exit 2) before anything is logged.
 */
export function resolveWandbBaseUrl(io: Pick<CliIo, 'env'>): string {
  const value = io.env.WANDB_BASE_URL || DEFAULT_WANDB_BASE_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new UsageError(`WANDB_BASE_URL: "${value}" is not a URL (e.g. ${DEFAULT_WANDB_BASE_URL})`, {
      cause: error,
    });
  }
  if (url.username !== '' || url.password !== '') {
    throw new UsageError(
      `WANDB_BASE_URL must not carry user:password (${redactUrlCredentials(url.href)}); put W&B's key in WANDB_API_KEY`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UsageError(`WANDB_BASE_URL: "${value}" is not an http(s) URL (e.g. ${DEFAULT_WANDB_BASE_URL})`);
  return value;
}

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

/** The W&B client of a command; `baseUrl` from resolveWandbBaseUrl. */
export function createCliWandb(
  apiKey: string,
  baseUrl: string,
  io: CliIo,
  log: Logger,
  concurrency: number,
): WandbClient {
  return createWandbClient({
    baseUrl,
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

/** --concurrency (1 to MAX_CONCURRENCY), else the config's max_workers (validated to the same bound). */
export function concurrencyFrom(flag: string | undefined, config: Config): number {
  if (flag === undefined) return config.max_workers;
  return parseIntegerFlag(flag, '--concurrency', {
    min: 1,
    max: MAX_CONCURRENCY,
    message: (value) =>
      `--concurrency: "${value}" is not a whole number from 1 to ${MAX_CONCURRENCY} (concurrent W&B requests; default: max_workers of the config)`,
  });
}
