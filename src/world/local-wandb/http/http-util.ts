import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonBytes } from '../graphql/json-bytes.js';

/** Parses a JSON body; undefined when it is not JSON. */
export function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Sends a body and returns its size, for the bytes-served counter. */
export function send(
  res: ServerResponse,
  status: number,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): number {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'Content-Length': String(bytes.length), ...headers });
  res.end(bytes);
  return bytes.length;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return send(res, status, jsonBytes(body), { 'Content-Type': 'application/json', ...headers });
}

/** HTTP Basic auth checked by password only: W&B clients send user `api` or `user` (docs/wandb-protocol.md §1.2). */
export function hasApiKey(req: IncomingMessage, apiKey: string): boolean {
  const header = req.headers.authorization;
  if (!header?.toLowerCase().startsWith('basic ')) return false;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && decoded.slice(colon + 1) === apiKey;
}

/** A promise-chain mutex: writes run one at a time, in arrival order. */
export function createMutex() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const result = tail.then(task);
    tail = result.catch(() => undefined);
    return result;
  };
}
