import { describe, expect, it } from 'vitest';
import { parseTableJson, tableRefOf } from '../../../src/product/report/table-json.js';

describe('tableRefOf', () => {
  it('reads the table-file reference a summary holds', () => {
    const ref = { _type: 'table-file', path: 'media/table/t_0_abc.table.json', sha256: 'x', size: 3 };
    expect(tableRefOf(ref)).toEqual({ path: 'media/table/t_0_abc.table.json' });
  });

  it.each([
    [null],
    [3],
    ['media/table/x.table.json'],
    [{ _type: 'image-file', path: 'a.png' }],
    [{ _type: 'table-file' }],
  ])('ignores %j', (value) => {
    expect(tableRefOf(value)).toBeUndefined();
  });
});

describe('parseTableJson', () => {
  it('reads columns and rows of the SDK format (extra keys ignored)', () => {
    const text = JSON.stringify({
      _type: 'table',
      columns: ['企業名', 'GPU稼働率(%)', 'n_runs'],
      data: [
        ['alpha', 37.5, 3],
        ['beta', null, { odd: true }],
      ],
    });
    expect(parseTableJson(text)).toEqual({
      ok: true,
      table: {
        columns: ['企業名', 'GPU稼働率(%)', 'n_runs'],
        rows: [
          ['alpha', 37.5, 3],
          ['beta', null, '{"odd":true}'],
        ],
      },
    });
  });

  it.each([
    ['{ nope', 'not JSON'],
    ['[1, 2]', 'columns is not a list of names'],
    ['{"columns": ["a", 1], "data": []}', 'columns is not a list of names'],
    ['{"columns": ["a"], "data": [1]}', 'data is not a list of rows'],
    ['null', 'not a Table object'],
  ])('rejects %s: %s', (text, reason) => {
    expect(parseTableJson(text)).toEqual({ ok: false, reason });
  });
});
