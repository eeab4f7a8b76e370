import type { Cell, TableData } from './types.js';

export type TableRef = { readonly path: string };

/** The `{_type: 'table-file', path}` reference a summary holds for a logged Table; undefined otherwise. */
export function tableRefOf(value: unknown): TableRef | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const ref = value as Record<string, unknown>;
  return ref._type === 'table-file' && typeof ref.path === 'string' ? { path: ref.path } : undefined;
}

/** Parses a `.table.json` file (`{columns, data}`, as the Python SDK writes it). */
export function parseTableJson(text: string): { ok: true; table: TableData } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (typeof json !== 'object' || json === null) return { ok: false, reason: 'not a Table object' };
  const { columns, data } = json as Record<string, unknown>;
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string')) {
    return { ok: false, reason: 'columns is not a list of names' };
  }
  if (!Array.isArray(data) || !data.every(Array.isArray)) {
    return { ok: false, reason: 'data is not a list of rows' };
  }
  const rows = (data as unknown[][]).map((row) => row.map(toCell));
  return { ok: true, table: { columns: columns as string[], rows } };
}

function toCell(value: unknown): Cell {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  return JSON.stringify(value);
}
