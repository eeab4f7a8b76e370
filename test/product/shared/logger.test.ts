import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/product/shared/logger.js';
import { fixedClock } from '../../helpers/fakes.js';

// A run name that, printed raw on a terminal, would be an OSC 8 hyperlink and turn the terminal red.
const HOSTILE = 'run\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\u001b[31m\nforged line';

/** The C0, DEL and C1 characters in a text (a newline that ends a line included). */
const controls = (text: string) => [...text].filter((c) => /[\p{Cc}]/u.test(c));

function written(format: 'json' | 'pretty'): string {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  const log = createLogger({ stream, clock: fixedClock(new Date('2025-01-10T06:00:00Z')), format });
  log.warn('tracker.skipped', { run: HOSTILE, reason: { name: HOSTILE } });
  return chunks.join('');
}

describe('createLogger with W&B names in its fields', () => {
  it('writes the readable line without control characters or escape sequences, as one line', () => {
    const line = written('pretty');
    expect(controls(line)).toEqual(['\n']);
    // A string field is stripped; an object is JSON, whose escapes (`\u001b` as six characters) are inert.
    expect(
      line.startsWith(
        '06:00:00 warn  tracker.skipped run=runclick forged line reason={"name":"run\\u001b]8;;',
      ),
    ).toBe(true);
  });

  it('leaves JSON lines to JSON.stringify, which escapes them, so the value reads back whole', () => {
    const line = written('json');
    expect(controls(line)).toEqual(['\n']);
    expect((JSON.parse(line) as { run: string }).run).toBe(HOSTILE);
  });
});
