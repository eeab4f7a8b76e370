import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Table } from '../../../src/product/calculator/columns.js';
import { tableCsv } from '../../../src/product/calculator/table-csv.js';

const table = (names: readonly string[], value = 1.25): Table => ({
  columns: [
    { label: 'project', format: 'text' },
    { label: 'Total hours', format: 'dec2' },
    { label: 'Total runs', format: 'int' },
  ],
  rows: names.map((name) => [name, value, -3]),
});

describe('tableCsv: text cells a spreadsheet would run as formulas (OWASP CSV Injection)', () => {
  it.each([
    ['=', '=HYPERLINK("https://evil.example","x")'],
    ['+', '+1+cmd|" /C calc"!A0'],
    ['-', '-2+3'],
    ['@', '@SUM(A1:A2)'],
    ['a tab', '\t=1+1'],
    ['a carriage return', '\r=1+1'],
  ])('prefixes a cell starting with %s with a single quote', (_name, text) => {
    const [, row] = parse(tableCsv(table([text])), { relax_quotes: true }) as string[][];
    expect(row?.[0]).toBe(`'${text}`);
  });

  it('leaves other text, and numbers (negative ones too), as they are', () => {
    const csv = tableCsv(table(['llm', 'a=b', "'quoted", ' =spaced'], -1.5));
    expect(csv).toBe(
      [
        'project,Total hours,Total runs',
        'llm,-1.50,-3',
        'a=b,-1.50,-3',
        "'quoted,-1.50,-3",
        ' =spaced,-1.50,-3',
        '',
      ].join('\n'),
    );
  });
});
