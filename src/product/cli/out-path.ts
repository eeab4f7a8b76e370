import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { mkdir, mkdtemp, open, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { AppError, UsageError } from '../shared/errors.js';
import type { CliIo } from './io.js';

// Output flags (--out) are proven before any work by writing there (docs/behaviour.md §9): permission
// bits say nothing on /proc or /sys, or to root, so a job that passed `access()` could end unable to
// write. Directories are made one level at a time: Node's recursive mkdir retries forever when a
// parent exists but its child cannot be made (`/proc/x`), where this gets the child's ENOENT once.

/** Where a probe goes: a dot-name nobody else uses, removed at once. */
const PROBE_PREFIX = '.gpu-dashboard-probe-';

const WRITABLE_DIR_HINT = 'pass a directory this process can write to';

/** Writing to an output (checked before the work) failed after the work: names the flag. Exit 1. */
export class OutputError extends AppError {
  override readonly name = 'OutputError';
  readonly code = 'OUTPUT';

  constructor(
    readonly flag: string,
    readonly path: string,
    cause: unknown,
  ) {
    super(`${flag}: cannot write ${path} (${describeFsError(cause)})`, { cause });
  }
}

/**
 * An output directory flag, before any work: an existing directory where a file can be written, or a
 * path whose nearest existing ancestor is a directory where one can be made. Returns the absolute
 * path; exit 2 naming the flag otherwise. Nothing is left behind.
 */
export async function checkOutDir(value: string, flag: string, io: Pick<CliIo, 'cwd'>): Promise<string> {
  const dir = resolve(io.cwd, value);
  let at = dir;
  let info = await statOrMissing(at, flag);
  while (info === undefined && dirname(at) !== at) {
    at = dirname(at);
    info = await statOrMissing(at, flag);
  }
  const subject = at === dir ? dir : `${dir} cannot be created: ${at}`;
  if (!info?.isDirectory()) throw new UsageError(`${flag}: ${subject} is not a directory`);
  const failure = at === dir ? await probeFile(at) : await probeDirectory(at);
  if (failure !== undefined) throw notWritable(flag, subject, failure.error);
  return dir;
}

/**
 * An output file flag, before any work: an existing regular file (a device or a pipe is refused, as
 * writing one would block or hit a device) or a new name, in a directory where a file can be written
 * (writeOutputFile writes beside it, then renames). Returns the absolute path; exit 2 naming the flag.
 */
export async function checkOutFile(value: string, flag: string, io: Pick<CliIo, 'cwd'>): Promise<string> {
  const file = resolve(io.cwd, value);
  const info = await statOrMissing(file, flag);
  if (info?.isDirectory()) throw new UsageError(`${flag}: ${file} is a directory`);
  if (info !== undefined && !info.isFile())
    throw new UsageError(
      `${flag}: ${file} is not a regular file (a device, pipe or socket); pass the path of a file to write`,
    );
  const dir = dirname(await targetOf(file, info));
  const subject = `${file} cannot be written: ${dir}`;
  const parent = await statOrMissing(dir, flag);
  if (!parent) throw new UsageError(`${flag}: ${subject} does not exist`);
  if (!parent.isDirectory()) throw new UsageError(`${flag}: ${subject} is not a directory`);
  const failure = await probeFile(dir);
  if (failure !== undefined) throw notWritable(flag, subject, failure.error);
  return file;
}

/**
 * Writes the outputs of `flag` at the end of a command: makes `dir` (each missing level once), then
 * runs `write`; any failure is an OutputError naming the flag, never a bare errno.
 */
export async function writeOutputs<T>(flag: string, dir: string, write: () => Promise<T>): Promise<T> {
  try {
    await makeDirectories(dir);
    return await write();
  } catch (error) {
    throw new OutputError(flag, dir, error);
  }
}

/**
 * Writes a file the way checkOutFile proved possible: a new file beside it (O_EXCL, so never into a
 * pipe or device that appeared since), renamed over it; an existing symlink's target is replaced.
 */
export async function writeOutputFile(flag: string, file: string, data: string): Promise<void> {
  try {
    const target = await targetOf(file, await stat(file).catch(() => undefined));
    const temp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, data, { flag: 'wx' });
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  } catch (error) {
    throw new OutputError(flag, file, error);
  }
}

function notWritable(flag: string, subject: string, error: unknown): UsageError {
  return new UsageError(
    `${flag}: ${subject} is not writable (${describeFsError(error)}); ${WRITABLE_DIR_HINT}`,
    {
      cause: error,
    },
  );
}

/** Why a probe failed; undefined when it did not. */
type ProbeFailure = { readonly error: unknown } | undefined;

/** Each missing level of `dir`, top down, made on its own: an error is the first level that failed. */
async function makeDirectories(dir: string): Promise<void> {
  const levels: string[] = [];
  for (let at = dir; dirname(at) !== at; at = dirname(at)) levels.unshift(at);
  for (const level of levels) {
    try {
      await mkdir(level);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** A file written, flushed and removed in `dir`. */
async function probeFile(dir: string): Promise<ProbeFailure> {
  const path = join(dir, `${PROBE_PREFIX}${randomBytes(6).toString('hex')}`);
  try {
    const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL);
    try {
      await handle.writeFile('probe\n');
      await handle.sync();
    } finally {
      await handle.close();
    }
    return undefined;
  } catch (error) {
    return { error };
  } finally {
    await rm(path, { force: true }).catch(() => undefined);
  }
}

/** A directory made in `dir`, with a file written in it, both removed. */
async function probeDirectory(dir: string): Promise<ProbeFailure> {
  let made: string;
  try {
    made = await mkdtemp(join(dir, PROBE_PREFIX));
  } catch (error) {
    return { error };
  }
  try {
    return await probeFile(made);
  } finally {
    await rm(made, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The file a path names: through a symlink when it is one, so the link is kept. */
async function targetOf(file: string, info: Stats | undefined): Promise<string> {
  return info === undefined ? file : realpath(file);
}

/** undefined when nothing is there (ENOTDIR: a file stands where a directory should be). */
async function statOrMissing(path: string, flag: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new UsageError(`${flag}: cannot inspect ${path} (${code ?? 'error'})`, { cause: error });
  }
}

/** `ENOENT: no such file or directory, open '…'`, as Node words it, or the error's message. */
function describeFsError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
