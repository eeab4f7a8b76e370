import { describe, expect, it } from 'vitest';
import { escapeHtml, formatNumber, px } from '../../../src/product/report/html.js';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
  });

  it('leaves other text, Japanese labels included, as it is', () => {
    expect(escapeHtml('GPU稼働率(%) 12.5')).toBe('GPU稼働率(%) 12.5');
  });
});

describe('formatNumber', () => {
  it.each([
    [3452, 1, '3,452.0'],
    [1_234_567.891, 2, '1,234,567.89'],
    [999.94, 1, '999.9'],
    [12, 0, '12'],
    [-1234.25, 1, '-1,234.3'],
    [-0.04, 1, '0.0'],
  ])('%d with %d decimals is %s', (value, decimals, text) => {
    expect(formatNumber(value, decimals)).toBe(text);
  });
});

describe('px', () => {
  it('keeps one decimal', () => {
    expect([px(86.35 + 0.01), px(172), px(1 / 3)]).toEqual(['86.4', '172', '0.3']);
  });
});
