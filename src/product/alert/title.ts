import { InternalError } from '../shared/errors.js';
import { sha256Hex } from '../shared/hash.js';
import { escapeMrkdwn } from '../shared/inert-text.js';

/**
 * Longest alert title, in UTF-8 bytes, as W&B gets it (escaped: `wandbAlert`). W&B wants titles "less than
 * 64 characters long" (wandb/wandb wandb/sdk/wandb_run.py, `alert` docstring) without saying how the
 * server counts them; bytes keep a title short enough under any count.
 */
export const ALERT_TITLE_MAX_BYTES = 63;

/** Marks a cut subject; the hash keeps two long subjects with the same beginning apart. */
const CUT_MARK = '…';
const HASH_CHARS = 6;

/** A title's length as sent: escaping for Slack (a W&B name may hold `&` or `*`) makes it longer. */
const bytes = (text: string): number => Buffer.byteLength(escapeMrkdwn(text), 'utf8');

/**
 * `<kind>: <subject>`, at most ALERT_TITLE_MAX_BYTES once escaped. W&B drops an alert whose title
 * repeats on the same run within its wait, so every subject must keep a title of its own: a subject too
 * long is cut at a grapheme boundary (never inside a character or an emoji) and followed by
 * `… <6 hex of its SHA-256>`.
 */
export function alertTitle(kind: string, subject: string): string {
  const head = `${kind}: `;
  const full = `${head}${subject}`;
  if (bytes(full) <= ALERT_TITLE_MAX_BYTES) return full;
  const tail = `${CUT_MARK} ${sha256Hex(subject).slice(0, HASH_CHARS)}`;
  if (bytes(`${head}${tail}`) >= ALERT_TITLE_MAX_BYTES) {
    throw new InternalError(`alert kind "${kind}" leaves no room for a subject`);
  }
  let kept = '';
  // Escaping depends on the neighbours (a `_` between letters stays), so the whole title is measured.
  for (const { segment } of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(subject)) {
    if (bytes(`${head}${kept}${segment}${tail}`) > ALERT_TITLE_MAX_BYTES) break;
    kept += segment;
  }
  return `${head}${kept}${tail}`;
}
