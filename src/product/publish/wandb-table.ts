import { type Table, tableJson } from '../calculator/index.js';
import { sha256Hex } from '../shared/hash.js';

/** The run file of a logged W&B Table and the reference value logged under its key (docs/wandb-protocol.md §9). */
export type TableFile = {
  readonly path: string;
  readonly body: string;
  readonly ref: {
    readonly _type: 'table-file';
    readonly path: string;
    readonly sha256: string;
    readonly size: number;
    readonly ncols: number;
    readonly nrows: number;
  };
};

/**
 * Serialises a table as the Python SDK does for `wandb.log({key: wandb.Table(...)})`: a file
 * `media/table/<key>_<step>_<sha256[:20]>.table.json` holding only `columns` and `data`, and a
 * `table-file` reference for the history row and the summary. Non-finite numbers become 0, as
 * the original's fillna does, since bare NaN is not JSON.
 */
export function tableFile(key: string, step: number, table: Table): TableFile {
  const { columns, data } = tableJson(table);
  const body = JSON.stringify({ columns, data });
  const sha256 = sha256Hex(body);
  const path = `media/table/${key}_${step}_${sha256.slice(0, 20)}.table.json`;
  return {
    path,
    body,
    ref: {
      _type: 'table-file',
      path,
      sha256,
      size: Buffer.byteLength(body),
      ncols: table.columns.length,
      nrows: data.length,
    },
  };
}
