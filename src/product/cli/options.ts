import { constants, existsSync, type Stats } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type ConfigLocation, parseConfigLocation } from '../config/location.js';
import { type LoadedConfig, loadConfigFrom } from '../config/read-source.js';
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

/**
 * Checks an output directory flag before any work, so a long job never ends unable to write:
 * it must be a writable directory, or a path the command can create (its nearest existing
 * ancestor is a writable directory). Returns the absolute path; exit 2 naming the flag otherwise.
 */
export async function checkOutDir(value: string, flag: string, io: Pick<CliIo, 'cwd'>): Promise<string> {
  const dir = resolve(io.cwd, value);
  let at = dir;
  let info = await statOrMissing(at);
  while (info === undefined && dirname(at) !== at) {
    at = dirname(at);
    info = await statOrMissing(at);
  }
  const subject = at === dir ? dir : `${dir} cannot be created: ${at}`;
  if (!info?.isDirectory()) throw new UsageError(`${flag}: ${subject} is not a directory`);
  await checkAccess(at, DIRECTORY_WRITABLE, `${flag}: ${subject} is not writable`);
  return dir;
}

/**
 * Checks an output file flag before any work: a writable file, or a new one in a writable
 * directory. Returns the absolute path; exit 2 naming the flag otherwise.
 */
export async function checkOutFile(value: string, flag: string, io: Pick<CliIo, 'cwd'>): Promise<string> {
  const file = resolve(io.cwd, value);
  const info = await statOrMissing(file);
  if (info?.isDirectory()) throw new UsageError(`${flag}: ${file} is a directory`);
  if (info) {
    await checkAccess(file, constants.W_OK, `${flag}: ${file} is not writable`);
    return file;
  }
  const dir = dirname(file);
  const subject = `${file} cannot be written: ${dir}`;
  const parent = await statOrMissing(dir);
  if (!parent) throw new UsageError(`${flag}: ${subject} does not exist`);
  if (!parent.isDirectory()) throw new UsageError(`${flag}: ${subject} is not a directory`);
  await checkAccess(dir, DIRECTORY_WRITABLE, `${flag}: ${subject} is not writable`);
  return file;
}

/** Creating an entry in a directory needs write and search permission on it. */
const DIRECTORY_WRITABLE = constants.W_OK | constants.X_OK;

/** undefined when nothing is there (ENOTDIR: a file stands where a directory should be). */
async function statOrMissing(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new UsageError(`cannot inspect ${path} (${code ?? 'error'})`, { cause: error });
  }
}

async function checkAccess(path: string, mode: number, message: string): Promise<void> {
  try {
    await access(path, mode);
  } catch (error) {
    throw new UsageError(message, { cause: error });
  }
}

/** Where `report` writes the page without --out. */
export const DEFAULT_REPORT_OUT = 'dashboard.html';
