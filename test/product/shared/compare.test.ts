import { describe, expect, it } from 'vitest';
import { compareCodePoints } from '../../../src/product/shared/compare.js';

describe('compareCodePoints', () => {
  it('orders by code point, not UTF-16 unit or locale', () => {
    // U+FF21 (fullwidth A) is a single unit above the surrogate pair of U+1F600 in UTF-16,
    // but below it as a code point; 'B' (U+0042) sorts before 'a' (U+0061), unlike most locales.
    const items = ['a', 'B', '😀', 'Ａ', 'ab', ''];
    expect([...items].sort(compareCodePoints)).toEqual(['', 'B', 'a', 'ab', 'Ａ', '😀']);
  });
});
