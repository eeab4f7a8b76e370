import { sha256Hex } from '../shared/hash.js';

/** The run file of a logged `wandb.Html` and the reference value logged under its key. */
export type HtmlFile = {
  readonly path: string;
  readonly body: string;
  readonly ref: {
    readonly _type: 'html-file';
    readonly path: string;
    readonly sha256: string;
    readonly size: number;
  };
};

/**
 * An HTML page as the Python SDK logs `wandb.log({key: wandb.Html(page, inject=False)})`: a file
 * `media/html/<key>_<step>_<sha256[:20]>.html` and an `html-file` reference for the history row and the
 * summary (wandb/wandb `wandb/sdk/data_types/html.py`, `base_types/media.py` bind_to_run). Without
 * `inject` the page stays as written: the SDK's injection adds a stylesheet link to W&B's CDN.
 */
export function htmlFile(key: string, step: number, html: string): HtmlFile {
  const sha256 = sha256Hex(html);
  const path = `media/html/${key}_${step}_${sha256.slice(0, 20)}.html`;
  return { path, body: html, ref: { _type: 'html-file', path, sha256, size: Buffer.byteLength(html) } };
}
