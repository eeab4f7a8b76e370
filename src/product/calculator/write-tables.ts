import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { formatCell, type Table } from './columns.js';

/** CSV text of a table: UTF-8, header row, no BOM. */
export function tableCsv(table: Table): string {
  return stringify([
    table.columns.map((c) => c.label),
    ...table.rows.map((row) => row.map((cell, i) => formatCell(cell, table.columns[i]?.format ?? 'text'))),
  ]);
}

/** Writes `<name>.csv` for each table into dir, each atomically. */
export async function writeTables(dir: string, tables: Readonly<Record<string, Table>>): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, table] of Object.entries(tables)) {
    const path = join(dir, `${name}.csv`);
    await writeFile(`${path}.tmp`, tableCsv(table), 'utf8');
    await rename(`${path}.tmp`, path);
    written.push(path);
  }
  return written;
}
