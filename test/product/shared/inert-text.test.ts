import { describe, expect, it } from 'vitest';
import {
  escapeEntities,
  escapeMrkdwn,
  escapeMrkdwnWithin,
  jsonForTerminal,
  stripControl,
  stripControlInLines,
} from '../../../src/product/shared/inert-text.js';

const SHY = '\u00AD';
/** Shows the soft hyphens the escaping inserts. */
const shown = (text: string) => text.replaceAll(SHY, '·');

describe('escapeMrkdwn', () => {
  it("turns Slack's three control characters into the entities it documents", () => {
    expect(escapeEntities('a & b <c> d')).toBe('a &amp; b &lt;c&gt; d');
    expect(escapeMrkdwn('x<!channel><https://evil.example|click>')).toBe(
      'x&lt;!channel&gt;&lt;https://evil.example|click&gt;',
    );
    expect(escapeMrkdwn('&amp;')).toBe('&amp;amp;');
  });

  it('keeps a marker at a word edge from formatting and leaves one inside a word alone', () => {
    expect(shown(escapeMrkdwn('*bold* _it_ ~gone~ `code`'))).toBe(
      '·*·bold·*· ·_·it·_· ·~·gone·~· ·`·code·`·',
    );
    expect(escapeMrkdwn('llm_pretrain_v2 a*b 東京_大阪')).toBe('llm_pretrain_v2 a*b 東京_大阪');
    expect(shown(escapeMrkdwn('run_'))).toBe('run·_·');
    expect(shown(escapeMrkdwn('```'))).toBe('·`··`··`·');
  });

  it('keeps @-mentions and a leading quote from being parsed', () => {
    expect(shown(escapeMrkdwn('@here @channel hi @everyone'))).toBe('@·here @·channel hi @·everyone');
    expect(escapeMrkdwn('me@example.com')).toBe('me@example.com');
    expect(shown(escapeMrkdwn('> quoted\nnot > quoted\n>again'))).toBe(
      '·&gt; quoted\nnot &gt; quoted\n·&gt;again',
    );
  });

  it('never shows two texts the same, so escaped alert titles stay distinct', () => {
    const texts = ['*', `${SHY}*`, `*${SHY}`, '>', `${SHY}>`, '@', `@${SHY}`, '&lt;', '<'];
    const escaped = texts.map(escapeMrkdwn);
    expect(new Set(escaped).size).toBe(texts.length);
  });
});

describe('escapeMrkdwnWithin', () => {
  it('is escapeMrkdwn when that fits', () => {
    expect(escapeMrkdwnWithin('a & b', 9)).toBe('a &amp; b');
  });

  it('cuts after escaping, never inside an entity or between a marker and its soft hyphens', () => {
    // "ab" then "&amp;" (5) would be 7; with "…" it needs 8.
    expect(escapeMrkdwnWithin('ab&cd', 7)).toBe('ab…');
    expect(escapeMrkdwnWithin('ab&cd', 8)).toBe('ab&amp;…');
    const cut = escapeMrkdwnWithin('<'.repeat(100), 50);
    expect(cut).toBe(`${'&lt;'.repeat(12)}…`);
    expect(shown(escapeMrkdwnWithin('a *b*', 5))).toBe('a …');
    expect(shown(escapeMrkdwnWithin('a *b*', 6))).toBe('a ·*·…');
    for (let max = 1; max < 40; max++) {
      const text = escapeMrkdwnWithin('x<!channel> *y* & 👨‍👩‍👧 z', max);
      expect(text.length).toBeLessThanOrEqual(max);
      expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
      expect(text).not.toMatch(/(?<!\u00AD)\*|\*(?!\u00AD)/);
    }
  });

  it('never splits a grapheme', () => {
    // The family is 8 UTF-16 code units: with "ab" and "…", 11.
    expect(escapeMrkdwnWithin(`ab${'👨‍👩‍👧'.repeat(3)}`, 11)).toBe('ab👨‍👩‍👧…');
    expect(escapeMrkdwnWithin(`ab${'👨‍👩‍👧'.repeat(3)}`, 10)).toBe('ab…');
  });
});

describe('stripControl', () => {
  it('removes an OSC 8 hyperlink and CSI colours whole, keeping the visible text', () => {
    const host = 'x\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007 \u001b[31mred\u001b[0m';
    expect(stripControl(host)).toBe('xclick red');
    // ST as ESC \ ends the string too; the C1 forms (8-bit CSI, OSC, ST) are removed the same way.
    expect(stripControl('a\u001b]0;title\u001b\\b\u009b1;31mc\u009d8;;u\u009cd')).toBe('abcd');
  });

  it('removes an unterminated sequence to the end and other escapes whole', () => {
    expect(stripControl('ok\u001b]8;;https://evil.example')).toBe('ok');
    expect(stripControl('a\u001bcb\u001b(Bc\u001b')).toBe('abc');
  });

  it('makes line breaks and tabs a space and drops every other C0, DEL and C1 character', () => {
    expect(stripControl('a\r\nb\tc')).toBe('a b c');
    expect(stripControl('a\u0000b\u0007c\u007fd\u0085e\u0080f')).toBe('abcdef');
    expect(stripControl('日本語 ok — é')).toBe('日本語 ok — é');
  });
});

describe('terminal-safe JSON and messages', () => {
  const hostile = 'host\u009b31m\u001b]8;;https://evil.example\u0007x\u001b]8;;\u0007\u007f';

  it('escapes DEL and C1 in JSON text and keeps the value', () => {
    const json = jsonForTerminal(JSON.stringify({ host: hostile }));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters
    expect(json).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(JSON.parse(json)).toEqual({ host: hostile });
  });

  it('strips control characters line by line, keeping the line breaks', () => {
    expect(stripControlInLines(`config: bad\n  ${hostile}: no\n`)).toBe('config: bad\n  hostx: no\n');
  });
});
