import { randomInt } from 'node:crypto';
import type { Config } from '../config/types.js';
import { UsageError } from '../shared/errors.js';
import { createLogger, type Logger, type LogLevel } from '../shared/logger.js';
import { createWandbClient, type WandbClient } from '../wandb/client.js';
import type { CliIo } from './io.js';

export const DEFAULT_WANDB_BASE_URL = 'https://api.wandb.ai';

/** --api, else WANDB_API_KEY; the key is redacted from every log line. */
export function resolveApiKey(flag: string | undefined, io: Pick<CliIo, 'env'>): string {
  const key = flag ?? io.env.WANDB_API_KEY;
  if (!key) throw new UsageError('no W&B API key: set WANDB_API_KEY or pass --api');
  return key;
}

export function createCliLogger(io: CliIo, secrets: readonly string[], verbose = false): Logger {
  const level = (verbose ? 'debug' : (io.env.LOG_LEVEL ?? 'info')) as LogLevel;
  return createLogger({
    stream: io.stderr,
    clock: io.clock,
    format: io.isTty ? 'pretty' : 'json',
    level,
    secrets,
  });
}

export function createCliWandb(apiKey: string, io: CliIo, log: Logger, concurrency: number): WandbClient {
  return createWandbClient({
    baseUrl: io.env.WANDB_BASE_URL ?? DEFAULT_WANDB_BASE_URL,
    apiKey,
    log,
    concurrency,
  });
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** An 8-character W&B run id, as the SDKs make them. */
export function randomRunId(): string {
  return Array.from({ length: 8 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('');
}

export function concurrencyFrom(flag: string | undefined, config: Config): number {
  if (flag === undefined) return config.max_workers;
  const value = Number(flag);
  if (!Number.isInteger(value) || value < 1)
    throw new UsageError(`--concurrency: "${flag}" is not a positive integer`);
  return value;
}
