import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { PatternEvents } from '../files/events-pattern.js';
import { LINE_FILES, type LineFile } from '../store/model.js';
import { isNotFound } from '../store/persist.js';
import type { Store } from '../store/store.js';
import type { Route, RouteContext, RunPath } from './app-routes.js';
import { send, sendJson } from './http-util.js';

const OCTET_STREAM = 'application/octet-stream';
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
};

/** Run files by their name's extension, as a file store serves them, so a logged page opens in a browser. */
function contentTypeOf(name: string): string {
  return CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? OCTET_STREAM;
}

/**
 * GET of a run file: `/files/<e>/<p>/<r>/<name>` (its `url`), or its signed twin
 * `/_local/files/<e>/<p>/<r>/<name>?signature=…` (its `directUrl`, opened without the key).
 */
export function runFileRoute(ctx: RouteContext, path: RunPath, name: string, res: ServerResponse): Route {
  return { operation: 'download', handle: () => serveRunFile(ctx.store, ctx.patterns, path, name, res) };
}

/** GET /_local/blobs/<md5 hex>?signature=…: an artifact file or manifest, the `directUrl` of a signed download. */
export function artifactFileRoute(ctx: RouteContext, hex: string, res: ServerResponse): Route {
  return { operation: 'download', handle: () => serveBlob(ctx.store, hex, res) };
}

/** A line stream (from its lines, or its pattern for seeded events) or an uploaded file of the run. */
async function serveRunFile(
  store: Store,
  patterns: PatternEvents,
  path: RunPath,
  name: string,
  res: ServerResponse,
): Promise<number> {
  const rec = store.run(path.entity, path.project, path.run);
  if (!rec) return sendJson(res, 404, { error: 'run not found' });
  if ((LINE_FILES as readonly string[]).includes(name)) {
    const lines =
      name === 'wandb-events.jsonl' && rec.eventsPattern
        ? patterns.lines(rec.eventsPattern, null).map((line) => line.toJSON())
        : await store.readLines(rec, name as LineFile);
    return send(res, 200, lines.map((l) => `${l}\n`).join(''), {
      'Content-Type': 'application/octet-stream',
    });
  }
  const file = rec.files[name];
  if (!file) return sendJson(res, 404, { error: 'file not found' });
  return serveBlob(store, file.blob, res, contentTypeOf(name));
}

async function serveBlob(
  store: Store,
  hex: string,
  res: ServerResponse,
  type = OCTET_STREAM,
): Promise<number> {
  if (!/^[0-9a-f]{32}$/.test(hex)) return sendJson(res, 404, { error: 'not found' });
  const bytes = await readBlob(store, hex);
  if (bytes === undefined) return sendJson(res, 404, { error: 'not found' });
  return send(res, 200, bytes, { 'Content-Type': type });
}

async function readBlob(store: Store, hex: string): Promise<Buffer | undefined> {
  try {
    return await readFile(store.disk.blobFile(hex));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
