import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ConfigLocation, parseConfigLocation } from '../config/location.js';
import { type LoadedConfig, loadConfigFrom } from '../config/read-source.js';
import type { Config } from '../config/types.js';
import { type IsoDate, isIsoDate } from '../shared/dates.js';
import { UsageError } from '../shared/errors.js';
import type { CliIo } from './io.js';

const CONFIG_ENV = 'GPU_DASHBOARD_CONFIG';
export const CONFIG_HELP = `config file or s3://bucket/key (default: $${CONFIG_ENV}, else ./config.yaml)`;

/**
 * --config, else $GPU_DASHBOARD_CONFIG, else ./config.yaml; each may be a path or `s3://bucket/key`.
 * No packaged fallback: a job must never run on a config nobody chose, so none found is exit 2.
 */
export function locateConfig(flag: string | undefined, io: Pick<CliIo, 'env' | 'cwd'>): ConfigLocation {
  if (flag) return parseConfigLocation(flag, io.cwd, '--config');
  const fromEnv = io.env[CONFIG_ENV];
  if (fromEnv) return parseConfigLocation(fromEnv, io.cwd, `$${CONFIG_ENV}`);
  const local = join(io.cwd, 'config.yaml');
  if (existsSync(local)) return { kind: 'file', path: local };
  throw new UsageError(
    `no config: --config not given, $${CONFIG_ENV} not set, and ${local} does not exist (pass --config FILE or s3://bucket/key)`,
  );
}

/** The config the flags and environment point at, read (file or S3) and validated. */
export async function loadConfigFor(
  flag: string | undefined,
  io: Pick<CliIo, 'env' | 'cwd'>,
): Promise<LoadedConfig> {
  return loadConfigFrom(locateConfig(flag, io), io.env);
}

/** A --date style flag: a real calendar date YYYY-MM-DD, or exit 2 naming the flag. */
export function parseDateFlag(value: string, flag: string): IsoDate {
  if (!isIsoDate(value)) throw new UsageError(`${flag}: "${value}" is not a calendar date YYYY-MM-DD`);
  return value;
}

/** Inclusive bounds of a numeric flag, and the wording of its usage error where a command has its own. */
type NumericFlagRange = {
  min?: number;
  max?: number;
  /** The usage error for `value`; default `<flag> must be a whole number in [min, max], got "<value>"`. */
  message?: (value: string) => string;
};

/** An integer flag within `range` (as `Number()` reads it: `1e3`, `0x10` count), or exit 2 naming the flag. */
export function parseIntegerFlag(value: string, flag: string, range: NumericFlagRange = {}): number {
  return parseNumericFlag(value, flag, range, Number.isInteger, 'a whole number');
}

/** A finite number flag within `range`, or exit 2 naming the flag. */
export function parseNumberFlag(value: string, flag: string, range: NumericFlagRange = {}): number {
  return parseNumericFlag(value, flag, range, Number.isFinite, 'a number');
}

function parseNumericFlag(
  value: string,
  flag: string,
  range: NumericFlagRange,
  isAllowed: (n: number) => boolean,
  kind: string,
): number {
  const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = range;
  const n = Number(value);
  if (!isAllowed(n) || n < min || n > max) {
    const message = range.message?.(value) ?? `${flag} must be ${kind} in [${min}, ${max}], got "${value}"`;
    throw new UsageError(message);
  }
  return n;
}

/** Where `report` writes the page without --out. */
export const DEFAULT_REPORT_OUT = 'dashboard.html';

/** --company values, each a company of the config (exit 2 naming the unknown ones); undefined: all. */
export function selectedCompanies(
  names: readonly string[] | undefined,
  config: Config,
): string[] | undefined {
  if (names === undefined || names.length === 0) return undefined;
  const known = new Set(config.companies.map((c) => c.company));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new UsageError(
      `--company: ${unknown.map((n) => `"${n}"`).join(', ')} not in the config (companies: ${[...known].join(', ')})`,
    );
  }
  return [...new Set(names)];
}
