import { createReadStream } from 'node:fs';
import { MAX_CONFIG_BYTES } from './limits.js';

/** The bytes of a config, or how many were read before it passed MAX_CONFIG_BYTES (the rest is never read). */
export type ReadBytes = { ok: true; bytes: Uint8Array } | { ok: false; readBytes: number };

/** Reads a stream to its end, stopping as soon as it holds more than `limit` bytes. */
export async function readAtMost(
  chunks: AsyncIterable<Uint8Array>,
  limit = MAX_CONFIG_BYTES,
): Promise<ReadBytes> {
  const parts: Uint8Array[] = [];
  let total = 0;
  // Leaving the loop early destroys the stream (for await calls its return()).
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    if (total > limit) return { ok: false, readBytes: total };
    parts.push(chunk);
  }
  return { ok: true, bytes: Buffer.concat(parts) };
}

/**
 * A config file's bytes, never more than MAX_CONFIG_BYTES + 1 of them: `end` stops the stream there even
 * on a device that never ends (`/dev/zero`). A pipe (`--config <(…)`) is read the same way.
 */
export function readConfigFile(path: string): Promise<ReadBytes> {
  return readAtMost(createReadStream(path, { end: MAX_CONFIG_BYTES }));
}

export function tooLargeMessage(what: string): string {
  return `${what} is larger than ${MAX_CONFIG_BYTES} bytes (1 MiB); a config is a few KB of YAML: point --config at the config file`;
}

export type DecodedText = { ok: true; text: string } | { ok: false; message: string };

const UTF8_HINT = 'config must be UTF-8 text';

/**
 * The config's text. YAML files are UTF-8 here (docs/behaviour.md §2): a UTF-16 or UTF-32 file (a byte
 * order mark, or the NUL bytes their ASCII characters carry) or invalid UTF-8 is refused by name, not
 * decoded into a string the schema would then call "expected object".
 */
export function decodeConfigText(bytes: Uint8Array): DecodedText {
  const encoding = wideEncoding(bytes);
  if (encoding !== undefined)
    return { ok: false, message: `${UTF8_HINT} (this file looks like ${encoding}): save it as UTF-8` };
  if (bytes.includes(0))
    return {
      ok: false,
      message: `${UTF8_HINT} without NUL bytes (one at line ${lineAt(bytes, bytes.indexOf(0))})`,
    };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return {
      ok: false,
      message: `${UTF8_HINT} (invalid UTF-8 at line ${lineAt(bytes, firstInvalidByte(bytes))})`,
    };
  }
}

/** UTF-16/32 by byte order mark, else by where ASCII text in them has its NUL bytes. */
function wideEncoding(bytes: Uint8Array): string | undefined {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) return 'UTF-32LE';
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) return 'UTF-32BE';
  if (b0 === 0xff && b1 === 0xfe) return 'UTF-16LE';
  if (b0 === 0xfe && b1 === 0xff) return 'UTF-16BE';
  if (bytes.length < 4) return undefined;
  if (b0 !== 0 && b1 === 0 && b2 === 0 && b3 === 0) return 'UTF-32LE';
  if (b0 === 0 && b1 === 0 && b2 === 0 && b3 !== 0) return 'UTF-32BE';
  if (b0 !== 0 && b1 === 0 && b2 !== 0 && b3 === 0) return 'UTF-16LE';
  if (b0 === 0 && b1 !== 0 && b2 === 0 && b3 !== 0) return 'UTF-16BE';
  return undefined;
}

/** Offset of the first byte that does not decode: the longest prefix that does, found by bisection. */
function firstInvalidByte(bytes: Uint8Array): number {
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const mid = Math.floor((good + bad) / 2);
    // stream: a sequence cut at the end of the prefix is not an error yet.
    if (decodes(bytes.subarray(0, mid))) good = mid;
    else bad = mid;
  }
  return good;
}

function decodes(prefix: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(prefix, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}
