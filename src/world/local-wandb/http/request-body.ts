import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

const MIB = 1024 * 1024;

/**
 * Largest GraphQL or file-stream body, on the wire and once decompressed. W&B's file stream takes about
 * 10 MiB per request (docs/wandb-protocol.md §7), and the largest GraphQL body the product sends (a
 * Report spec, createArtifactFiles for a dataset kept as many files) is far smaller; 64 MiB leaves
 * room for both. The decompressed limit is the same, not a multiple: it is what the server holds and
 * parses, and no client needs more JSON than it may send uncompressed.
 */
export const JSON_BODY_LIMIT_BYTES = 64 * MIB;

/**
 * Largest upload PUT (a run file, an artifact file or manifest), on the wire and once decompressed.
 * The biggest legitimate upload is the dataset CSV, one file: about 180 MB at the 1,000,000 rows of
 * bench/tables-bench.ts. W&B's clients switch to multipart only at 2 GiB (docs/wandb-protocol.md §11),
 * but this server holds a body in memory, so 1 GiB bounds that while leaving over 5× room.
 */
export const UPLOAD_BODY_LIMIT_BYTES = 1024 * MIB;

export type BodyResult = { ok: true; body: Buffer } | { ok: false; status: 400 | 413; message: string };

const gunzipLimited = promisify(gunzip);
/** zlib's output chunk: its 16 KiB default takes ~20× longer to reach a 64 MiB limit (a thread-pool hop per chunk). */
const GUNZIP_CHUNK_BYTES = MIB;

/**
 * Reads a request body of at most `limitBytes`, refusing a larger Content-Length before reading a byte
 * and counting while it streams. A gzip body (`Content-Encoding: gzip`, which wandb-core sends to a
 * file stream that advertises it, docs/wandb-protocol.md §7) is decompressed under the same limit, so a small bomb is
 * stopped at the limit instead of expanding in memory. On a refusal the rest of the body is left
 * unread: the caller answers with `Connection: close`.
 */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  const tooLarge: BodyResult = {
    ok: false,
    status: 413,
    message: `request body exceeds ${limitBytes} bytes`,
  };
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limitBytes) return tooLarge;
  const raw = await readLimited(req, limitBytes);
  if (raw === undefined) return tooLarge;
  if (req.headers['content-encoding']?.trim().toLowerCase() !== 'gzip') return { ok: true, body: raw };
  try {
    const body = await gunzipLimited(raw, { maxOutputLength: limitBytes, chunkSize: GUNZIP_CHUNK_BYTES });
    return { ok: true, body };
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ERR_BUFFER_TOO_LARGE') return tooLarge;
    return { ok: false, status: 400, message: 'request body is not valid gzip' };
  }
}

/** The raw body, or undefined once it passes `limitBytes` (the stream is then paused, not drained). */
function readLimited(req: IncomingMessage, limitBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) return void chunks.push(chunk);
      settle();
      req.pause();
      resolve(undefined);
    };
    const onEnd = () => {
      settle();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      settle();
      reject(error);
    };
    // The client went away mid-body.
    const onClose = () => onError(new Error('request aborted before its body ended'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
