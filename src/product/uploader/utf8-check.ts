import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';

/** What a decoder turns a bad byte sequence into, and what a file may also hold on purpose. */
export const REPLACEMENT_CHARACTER = '\uFFFD';
const REPLACEMENT_BYTES = Buffer.from(REPLACEMENT_CHARACTER);
const EMPTY = Buffer.alloc(0);

/**
 * Passes bytes through unchanged while checking that they are UTF-8. csv-parse alone decodes a bad
 * sequence as U+FFFD and goes on; this check cannot tell which record and cell the bytes fall in,
 * so it tells the reader which U+FFFD of the decoded text is the first bad sequence, counting the
 * ones written on purpose before it. Both flags are set before the parser sees the bytes concerned.
 */
export class Utf8Check extends Transform {
  /** True once the bytes passed on hold a U+FFFD (or a bad sequence): from then on the reader counts them. */
  hasReplacement = false;
  /** Index (from 0) among the decoded text's U+FFFD of the first bad sequence; undefined while all is UTF-8. */
  badReplacement: number | undefined;
  /** U+FFFD written on purpose, passed on so far. */
  private replacements = 0;
  /** The start of a sequence cut by the end of the last chunk, checked with the next one. */
  private tail: Buffer = EMPTY;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.badReplacement === undefined) this.check(chunk, false);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    // A sequence cut by the end of the input is bad.
    if (this.badReplacement === undefined && this.tail.length > 0) this.check(EMPTY, true);
    done();
  }

  private check(chunk: Buffer, isLast: boolean): void {
    const bytes = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    const end = isLast ? bytes.length : completeLength(bytes);
    // A copy, so the tail does not keep the whole chunk alive.
    this.tail = end === bytes.length ? EMPTY : Buffer.from(bytes.subarray(end));
    const whole = bytes.subarray(0, end);
    if (isUtf8(whole)) {
      this.countReplacements(whole, whole.length);
      return;
    }
    this.countReplacements(whole, firstDifference(whole));
    this.badReplacement = this.replacements;
    this.hasReplacement = true;
  }

  /** Counts the U+FFFD that end before byte `end`. */
  private countReplacements(bytes: Buffer, end: number): void {
    for (let i = bytes.indexOf(REPLACEMENT_BYTES); i !== -1 && i + REPLACEMENT_BYTES.length <= end; ) {
      this.replacements++;
      this.hasReplacement = true;
      i = bytes.indexOf(REPLACEMENT_BYTES, i + REPLACEMENT_BYTES.length);
    }
  }
}

/** The length of `bytes` without a multi-byte sequence its end cuts short. */
function completeLength(bytes: Buffer): number {
  const length = bytes.length;
  // A sequence is at most 4 bytes: look back over up to 3 continuation bytes (10xxxxxx) for its lead.
  for (let i = length - 1; i >= 0 && i >= length - 4; i--) {
    const byte = bytes[i]!;
    if (byte < 0x80) return length;
    if (byte >= 0xc0) {
      const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return length - i < size ? i : length;
    }
  }
  return length;
}

/**
 * Where bytes that are not UTF-8 first differ from their decoding re-encoded (each bad sequence
 * becomes U+FFFD): every U+FFFD wholly before that point was written on purpose.
 */
function firstDifference(bytes: Buffer): number {
  const reencoded = Buffer.from(bytes.toString('utf8'));
  let i = 0;
  while (i < bytes.length && bytes[i] === reencoded[i]) i++;
  return i;
}
