import { stringify } from 'csv-stringify/sync';
import { type Cell, type ColumnFormat, formatCell, type Table } from './columns.js';

/**
 * Text a spreadsheet would run as a formula: a cell starting with `=`, `+`, `-` or `@`, or with a tab
 * or carriage return (OWASP, "CSV Injection": https://owasp.org/www-community/attacks/CSV_Injection).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * CSV text of a table: UTF-8, header row, no BOM. These files are for people and spreadsheets, so a
 * text cell (a team or project name from W&B) that starts like a formula gets a leading `'`, which
 * makes a spreadsheet show it as text (docs/behaviour.md §5). Numbers are written as they are, and the
 * dataset file and the W&B Tables are not neutralised: they are data that programs read back exactly.
 */
export function tableCsv(table: Table): string {
  const formats = table.columns.map((c) => c.format);
  return stringify([
    table.columns.map((c) => c.label),
    ...table.rows.map((row) => row.map((cell, i) => csvCell(cell, formats[i] ?? 'text'))),
  ]);
}

function csvCell(cell: Cell, format: ColumnFormat): string {
  return typeof cell === 'string' ? inert(cell) : formatCell(cell, format);
}

/** Text a spreadsheet shows as text: a `'` before a formula's first character (OWASP's advice). */
function inert(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
