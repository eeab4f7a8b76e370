// Slack Block Kit: the few block types the digest and the health check post, Slack's limits on them,
// and the text helpers that keep every message within those limits.
// Blocks and limits: https://api.slack.com/reference/block-kit/blocks
// Text objects: https://api.slack.com/reference/block-kit/composition-objects#text
// Escaping: https://api.slack.com/reference/surfaces/formatting#escaping

export type MrkdwnText = { readonly type: 'mrkdwn'; readonly text: string };
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

/** Escapes the three characters Slack mrkdwn reserves for links and mentions. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** `<url|label>` with the label escaped; `|` and the brackets cannot appear in the URL part. */
export function mrkdwnLink(url: string, label: string): string {
  const safeUrl = escapeMrkdwn(url).replaceAll('|', '%7C');
  return `<${safeUrl}|${escapeMrkdwn(label)}>`;
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
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

export function context(...texts: string[]): ContextBlock {
  return { type: 'context', elements: texts.map((text) => ({ type: 'mrkdwn', text })) };
}

export const DIVIDER: DividerBlock = { type: 'divider' };
