import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { type IsoDate, isIsoDate } from '../shared/dates.js';
import { UsageError } from '../shared/errors.js';
import type { CliIo } from './io.js';

export const CONFIG_ENV = 'GPU_DASHBOARD_CONFIG';
export const CONFIG_HELP = `config file (default: $${CONFIG_ENV}, else ./config.yaml, else the packaged config.yaml)`;

/** --config, else $GPU_DASHBOARD_CONFIG, else ./config.yaml, else the config.yaml shipped with the package. */
export function resolveConfigPath(flag: string | undefined, io: Pick<CliIo, 'env' | 'cwd'>): string {
  if (flag) return resolve(io.cwd, flag);
  const fromEnv = io.env[CONFIG_ENV];
  if (fromEnv) return resolve(io.cwd, fromEnv);
  const local = join(io.cwd, 'config.yaml');
  if (existsSync(local)) return local;
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'config.yaml');
}

export async function loadConfigFor(
  flag: string | undefined,
  io: Pick<CliIo, 'env' | 'cwd'>,
): Promise<Config> {
  return loadConfig(resolveConfigPath(flag, io));
}

/** A --date style flag: a real calendar date YYYY-MM-DD, or exit 2 naming the flag. */
export function parseDateFlag(value: string, flag: string): IsoDate {
  if (!isIsoDate(value)) throw new UsageError(`${flag}: "${value}" is not a calendar date YYYY-MM-DD`);
  return value;
}
