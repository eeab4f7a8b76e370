import { appendFile, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { md5Base64 } from '../../../product/shared/hash.js';
import type { ChangeTracker } from './flush.js';
import type { AlertRec, LineFile, RunRec } from './model.js';
import { isNotFound, readTextIfExists, writeAtomic } from './persist.js';
import type { StoreState } from './state.js';

// What lives in files beside the metadata: a run's line streams (JSONL), uploaded bytes as
// content-addressed blobs, and the alert log.

/** Stored bytes: the base64 MD5 clients compare with, its hex form (the blob's name) and the size. */
export type BlobRef = { md5: string; hex: string; size: number };

/** Writes `lines` from line index `offset`, overwriting lines already there (a retried chunk resends them). */
export async function writeLines(
  state: StoreState,
  changes: ChangeTracker,
  run: RunRec,
  file: LineFile,
  offset: number,
  lines: readonly string[],
): Promise<void> {
  const path = state.disk.linesFile(run.entity, run.project, run.name, file);
  const clean = lines.map((l) => l.replace(/\r?\n$/, '').replace(/\r?\n/g, ' '));
  const count = run.lineCounts[file];
  if (offset >= count) {
    // A chunk past the end (an earlier one still in flight) leaves empty lines as placeholders.
    const gap = Array.from({ length: offset - count }, () => '');
    await mkdir(dirname(path), { recursive: true });
    await appendFile(path, [...gap, ...clean].map((l) => `${l}\n`).join(''));
    run.lineCounts[file] = offset + clean.length;
  } else {
    const existing = await readLines(state, run, file);
    existing.splice(offset, clean.length, ...clean);
    await writeAtomic(path, existing.map((l) => `${l}\n`).join(''));
    run.lineCounts[file] = existing.length;
  }
  changes.touchProject(run.entity, run.project);
}

export async function readLines(state: StoreState, run: RunRec, file: LineFile): Promise<string[]> {
  const text = await readTextIfExists(state.disk.linesFile(run.entity, run.project, run.name, file));
  // A concurrent append may leave a partial last line; only complete lines count.
  return text === undefined ? [] : text.split('\n').slice(0, -1);
}

/** Lines that hold data (placeholders of not-yet-received chunks are skipped). */
export async function readRows(state: StoreState, run: RunRec, file: LineFile): Promise<string[]> {
  return (await readLines(state, run, file)).filter((line) => line !== '');
}

/** Stores bytes under their MD5 (once: identical bytes share one blob), hashed as the client hashes them. */
export async function putBlob(state: StoreState, bytes: Uint8Array): Promise<BlobRef> {
  const md5 = md5Base64(bytes);
  const hex = Buffer.from(md5, 'base64').toString('hex');
  const path = state.disk.blobFile(hex);
  if (!(await exists(path))) await writeAtomic(path, bytes);
  return { md5, hex, size: bytes.length };
}

export function hasBlob(state: StoreState, hex: string): Promise<boolean> {
  return exists(state.disk.blobFile(hex));
}

/** Keeps the alert in memory and appends it to the alert log at once (alerts are never rewritten). */
export async function addAlert(state: StoreState, alert: AlertRec): Promise<void> {
  state.alerts.push(alert);
  await appendFile(state.disk.alertsFile, `${JSON.stringify(alert)}\n`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}
