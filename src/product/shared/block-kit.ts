// Slack Block Kit: the few block types the digest and the health check post, Slack's limits on them,
// and the text helpers that keep every message within those limits.
// Blocks and limits: https://api.slack.com/reference/block-kit/blocks
// Text objects: https://api.slack.com/reference/block-kit/composition-objects#text
// Escaping W&B text: inert-text.ts (docs/behaviour.md §8).

import { escapeEntities, escapeMrkdwnWithin } from './inert-text.js';

/**
 * `verbatim: true` turns off Slack's automatic parsing, so a plain `@here` or `#channel` in W&B text is not
 * made a mention or a link; our own `<url|label>` links still work
 * (https://api.slack.com/reference/block-kit/composition-objects#text).
 */
export type MrkdwnText = { readonly type: 'mrkdwn'; readonly text: string; readonly verbatim: true };
export type PlainText = { readonly type: 'plain_text'; readonly text: string };

export type HeaderBlock = { readonly type: 'header'; readonly text: PlainText };
export type SectionBlock = { readonly type: 'section'; readonly text: MrkdwnText };
export type ContextBlock = { readonly type: 'context'; readonly elements: readonly MrkdwnText[] };
export type DividerBlock = { readonly type: 'divider' };
export type Block = HeaderBlock | SectionBlock | ContextBlock | DividerBlock;

/** One incoming-webhook payload; `text` is the notification fallback when `blocks` are given. */
export type SlackMessage = { readonly text: string; readonly blocks?: readonly Block[] };

/** Blocks in one message. */
export const MAX_BLOCKS = 50;
/** Characters in a section block's text (and in any other text object we send). */
export const MAX_TEXT_CHARS = 3000;
/** Characters in a header block's text. */
const MAX_HEADER_CHARS = 150;

/** Stateless; built once because building a segmenter costs far more than using it. */
const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Cut text at a grapheme boundary so it stays within `max` characters, marked with `…`. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const { segment } of GRAPHEMES.segment(text)) {
    if (kept.length + segment.length > max - 1) break;
    kept += segment;
  }
  return `${kept}…`;
}

/**
 * `<url|label>` with the label escaped (and cut to `labelMax` once escaped); `|` and the brackets cannot
 * appear in the URL part, so neither can end the link early.
 */
export function mrkdwnLink(url: string, label: string, labelMax = MAX_TEXT_CHARS): string {
  const safeUrl = escapeEntities(url).replaceAll('|', '%7C');
  return `<${safeUrl}|${escapeMrkdwnWithin(label, labelMax)}>`;
}

/** An alert title longer than this is cut once escaped (W&B keeps titles under 64 bytes anyway). */
const ALERT_TITLE_MAX_CHARS = 100;
/** An alert's text line longer than this is cut once escaped; many fit in one 3,000-character text. */
const ALERT_LINE_MAX_CHARS = 500;

/**
 * An alert as mrkdwn: `mark` (ours), the title in bold, then the text's lines, each escaped and cut,
 * whole lines kept within 3,000 characters and "… and N more lines" for the rest (W&B has them all).
 */
export function alertMrkdwn(alert: { readonly title: string; readonly text: string }, mark = ''): string {
  const title = `${mark}*${escapeMrkdwnWithin(alert.title, ALERT_TITLE_MAX_CHARS)}*`;
  const lines = alert.text.split('\n').map((line) => escapeMrkdwnWithin(line, ALERT_LINE_MAX_CHARS));
  const more = (n: number) => `… and ${n} more ${n === 1 ? 'line' : 'lines'}`;
  return joinWithin([title, ...lines], MAX_TEXT_CHARS, more);
}

/**
 * Joins lines (each already within `max`) into one text within `max`, keeping whole lines and
 * ending with `more(n)` when n lines did not fit.
 */
export function joinWithin(
  lines: readonly string[],
  max: number,
  more: (n: number) => string,
  separator = '\n',
): string {
  const kept: string[] = [];
  let length = 0;
  for (const [i, line] of lines.entries()) {
    const rest = lines.length - i - 1;
    const added = (kept.length > 0 ? separator.length : 0) + line.length;
    // Room for this line and, if lines remain after it, for the marker of the ones that then do not fit.
    const tail = rest > 0 ? separator.length + more(rest).length : 0;
    if (length + added + tail > max) {
      kept.push(more(lines.length - i));
      return kept.join(separator);
    }
    kept.push(line);
    length += added;
  }
  return kept.join(separator);
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: cutText(text, MAX_HEADER_CHARS) } };
}

export function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text, verbatim: true } };
}

export function context(...texts: string[]): ContextBlock {
  return { type: 'context', elements: texts.map((text) => ({ type: 'mrkdwn', text, verbatim: true })) };
}

export const DIVIDER: DividerBlock = { type: 'divider' };
