// Text from W&B (team, project, host and run names, tags, user names) is data, never markup
// (docs/behaviour.md §8): these two functions make it inert where people read it, in Slack (and W&B's
// alerts, which W&B forwards to Slack and e-mail) and on a terminal.

/** Invisible; placed next to a mrkdwn marker so Slack no longer reads the marker as formatting. */
const SOFT_HYPHEN = '\u00AD';

// Slack documents escapes for & < > only (https://api.slack.com/reference/surfaces/formatting#escaping)
// and none for * _ ~ `: "Slack does not provide how to escape special characters for formatting text"
// (https://github.com/yhatt/jsx-slack/blob/main/docs/about-escape-and-exact-mode.md). Slack formats a
// marker only where it starts or ends a word, so one between two letters or digits (`llm_v2`) is left
// as it is, and one at a word's edge gets an invisible soft hyphen on each side, which keeps it from
// touching the word (jsx-slack uses the same character for a leading `>`).
const MARKER_AT_EDGE = /(?<![\p{L}\p{N}])[*_~`]|[*_~`](?![\p{L}\p{N}])/gu;
// `@here`, `@channel` and `@user` are turned into mentions where Slack parses text automatically
// (https://api.slack.com/reference/surfaces/formatting#automatic-parsing); `a@b` is not a mention.
const MENTION = /(?<![\p{L}\p{N}])@/gu;
// `>` (as `&gt;`, any soft hyphens before it included) at the start of a line is a block quote.
const LEADING_QUOTE = /^(?=\u00AD*&gt;)/gm;

/** The three characters Slack reserves for links and mentions, as the entities it documents. */
export function escapeEntities(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * W&B text as Slack mrkdwn that shows it literally: `<!channel>` and `<url|label>` are shown, not parsed;
 * `*bold*`, `_italic_`, `~strike~`, `` `code` ``, a leading `>` and `@here` do not format or mention.
 * Visible characters are kept, so a name still reads (and mostly copies) as it is in W&B.
 */
export function escapeMrkdwn(text: string): string {
  return escapeEntities(text)
    .replace(MARKER_AT_EDGE, `${SOFT_HYPHEN}$&${SOFT_HYPHEN}`)
    .replace(MENTION, `$&${SOFT_HYPHEN}`)
    .replace(LEADING_QUOTE, SOFT_HYPHEN);
}

/** What a cut must keep whole in escaped text: an entity, a marker with its soft hyphens, `@` with its. */
const ESCAPED_UNIT = /\u00AD*(?:&(?:amp|lt|gt);|[*_~`])\u00AD?|@\u00AD/gu;

/**
 * `escapeMrkdwn(text)` within `max` characters: escaping grows text, so the escaped text is cut (marked
 * with `…`), at a grapheme boundary and never inside an entity such as `&amp;` or away from a soft hyphen.
 */
export function escapeMrkdwnWithin(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let kept = '';
  for (const unit of escapedUnits(escaped)) {
    if (kept.length + unit.length > max - 1) break;
    kept += unit;
  }
  return `${kept}…`;
}

/** Escaped text as the pieces a cut may fall between: ESCAPED_UNIT matches whole, graphemes elsewhere. */
function* escapedUnits(escaped: string): Generator<string> {
  // Made per cut (a rare path): no module-level state.
  const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
  let from = 0;
  for (const match of escaped.matchAll(ESCAPED_UNIT)) {
    for (const { segment } of graphemes.segment(escaped.slice(from, match.index))) yield segment;
    yield match[0];
    from = match.index + match[0].length;
  }
  for (const { segment } of graphemes.segment(escaped.slice(from))) yield segment;
}

// Terminal escapes as ECMA-48 defines them (https://ecma-international.org/publications-and-standards/standards/ecma-48/,
// §5.3-5.6), 7-bit (ESC …) and 8-bit (C1) forms, removed whole so no parameter or hidden URL is left:
// control strings (OSC, as in an OSC 8 hyperlink, DCS, SOS, PM, APC) up to BEL or ST or the end,
// CSI sequences (colours, cursor moves), and any other escape sequence.
const ESCAPE_SEQUENCE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this regex's job
  /(?:\u001b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?|\u001b[ -/]*[0-~]?/g;
/** Line breaks and tabs: a space, so the words around them stay apart and one value stays one line. */
const LAYOUT_CONTROL = /[\t\n\v\f\r]+/g;
/** C0, DEL and C1: what is left of them after the sequences above. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this regex's job
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * W&B text safe to print on a terminal: escape sequences (colours, OSC 8 hyperlinks, title changes) are
 * removed whole, tabs and line breaks become a space, and every other control character (C0, DEL, C1)
 * is removed.
 */
export function stripControl(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(LAYOUT_CONTROL, ' ').replace(CONTROL, '');
}

/** stripControl line by line: a message of several lines keeps its line breaks, and nothing else. */
export function stripControlInLines(text: string): string {
  return text.split('\n').map(stripControl).join('\n');
}

/** DEL and C1, which JSON.stringify leaves as they are; a terminal may act on C1 (U+009B is CSI). */
const UNESCAPED_IN_JSON = /[\u007f-\u009f]/g;

/**
 * JSON text as JSON.stringify wrote it, with DEL and C1 characters written as `\uXXXX` escapes: the same
 * JSON value, safe to print on a terminal (JSON.stringify escapes C0 itself, and these occur only
 * inside strings).
 */
export function jsonForTerminal(json: string): string {
  return json.replace(UNESCAPED_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
