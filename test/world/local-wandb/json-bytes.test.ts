import { describe, expect, it } from 'vitest';
import { jsonBytes } from '../../../src/world/local-wandb/graphql/json-bytes.js';

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

describe('jsonBytes', () => {
  const cases: [string, unknown][] = [
    ['scalars', [1, -0, 0.1, 1e21, 5e-324, Number.NaN, Number.POSITIVE_INFINITY, true, false, null, 'a']],
    ['escapes and non-ASCII', { 'k"\\\n': 'tab\there "q" \u0001 é 日本 😀 \ud800', '': '' }],
    [
      'omitted members and null items',
      { a: undefined, b: () => 1, c: Symbol('s'), d: [undefined, () => 1, Symbol('t')] },
    ],
    [
      'toJSON with its key',
      { when: new Date(Date.UTC(2025, 3, 22, 1, 2, 3)), custom: { toJSON: (k: string) => `key=${k}` } },
    ],
    ['toJSON giving undefined is omitted', { gone: { toJSON: () => undefined }, kept: 1 }],
    [
      'toJSON called once, even when it gives another toJSON',
      { a: { toJSON: () => ({ toJSON: () => 'inner' }) } },
    ],
    [
      'boxed primitives and class instances',
      [new String('s'), new Number(2), new Boolean(false), new Point(1, 2)],
    ],
    ['null prototype', Object.assign(Object.create(null) as object, { z: 1, a: [2] })],
    ['empty containers', { a: {}, b: [], c: [[], [{}]] }],
    ['integer-like keys in their order', { b: 1, 2: 'two', a: 3, 1: 'one' }],
    ['a top-level string', 'x'.repeat(200_000)],
    [
      'events answers larger than a chunk',
      {
        data: {
          q0: {
            r0: {
              events: Array.from({ length: 3000 }, (_, i) =>
                JSON.stringify({ _timestamp: i + 0.123, 'system.gpu.0.gpu': i % 100 }),
              ),
            },
          },
        },
      },
    ],
  ];
  for (const [name, value] of cases) {
    it(`writes the bytes of JSON.stringify: ${name}`, () => {
      expect(jsonBytes(value).toString('utf8')).toBe(JSON.stringify(value));
    });
  }

  it('takes the text of a value that writes its own (jsonText), as JSON.stringify takes its toJSON', () => {
    const own = { jsonText: () => '"a \\"line\\""', toJSON: () => 'a "line"' };
    const value = { events: [own, own], n: 1, member: own };
    expect(jsonBytes(value).toString('utf8')).toBe(JSON.stringify(value));
  });

  it('throws where JSON.stringify throws, and for a value without JSON text', () => {
    expect(() => jsonBytes({ n: 1n })).toThrow(TypeError);
    expect(() => jsonBytes(undefined)).toThrow(TypeError);
  });
});
