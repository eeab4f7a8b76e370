import { describe, expect, it } from 'vitest';
import { ALERT_TITLE_MAX_BYTES, alertTitle } from '../../../src/product/alert/title.js';
import { escapeMrkdwn } from '../../../src/product/shared/inert-text.js';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('alertTitle', () => {
  it('is `<kind>: <subject>` when that fits', () => {
    expect(alertTitle('Low utilization', 'abeja')).toBe('Low utilization: abeja');
    const fits = 'x'.repeat(ALERT_TITLE_MAX_BYTES - 'Low utilization: '.length);
    expect(alertTitle('Low utilization', fits)).toBe(`Low utilization: ${fits}`);
  });

  it('cuts a long subject to 63 bytes and keeps two subjects with the same start apart', () => {
    const shared = 'a-company-with-a-very-long-name-that-goes-on-and-on-and-on';
    const a = alertTitle('Low utilization', `${shared}-tokyo`);
    const b = alertTitle('Low utilization', `${shared}-osaka`);
    expect(a).toBe('Low utilization: a-company-with-a-very-long-name-that… 8e8fd1');
    expect(bytes(a)).toBe(ALERT_TITLE_MAX_BYTES);
    expect(b).not.toBe(a);
    expect(bytes(b)).toBeLessThanOrEqual(ALERT_TITLE_MAX_BYTES);
  });

  it('never splits a character or an emoji sequence', () => {
    const japanese = alertTitle('Low utilization', '株式会社データサイエンス研究所東京本社第二計算機室');
    expect(bytes(japanese)).toBe(ALERT_TITLE_MAX_BYTES);
    expect(japanese).toBe('Low utilization: 株式会社データサイエンス… e44238');
    const family = '👨‍👩‍👧';
    const emoji = alertTitle('Low utilization', `team ${family.repeat(5)}`);
    expect(bytes(emoji)).toBeLessThanOrEqual(ALERT_TITLE_MAX_BYTES);
    expect(emoji.startsWith(`Low utilization: team ${family}… `)).toBe(true);
    expect(Buffer.from(emoji, 'utf8').toString('utf8')).toBe(emoji);
  });

  it('counts the title as W&B gets it, escaped: a subject that fits raw may not', () => {
    // 40 raw bytes, 57 with the kind; escaped ("&amp;") 17 + 6 × 6 + "… <hash>" 10 = 63 keeps six pairs.
    const subject = 'a&'.repeat(20);
    const title = alertTitle('Low utilization', subject);
    expect(title).toBe('Low utilization: a&a&a&a&a&a&… 542345');
    expect(bytes(escapeMrkdwn(title))).toBeLessThanOrEqual(ALERT_TITLE_MAX_BYTES);
    expect(alertTitle('Low utilization', `${subject}x`)).not.toBe(title);
    // A `_` inside a name is not escaped, so it costs nothing.
    const snake = 'snake_case_'.repeat(4);
    expect(alertTitle('Low utilization', snake.slice(0, 40))).toBe(`Low utilization: ${snake.slice(0, 40)}`);
  });
});
