import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Table, tableCsv } from '../calculator/index.js';

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
