import { jsonHeaders, type WandbHost } from './host.js';
import { resolveUploadUrl } from './signed-upload.js';
import type { WandbRequest } from './transport.js';

export type RunPath = { entity: string; project: string; run: string };

/** GET a URL; the key goes only to the W&B host itself, never to a storage URL. */
export function downloadRequest(host: WandbHost, url: string, isAuthRequested: boolean): WandbRequest {
  const isAuthed = isAuthRequested && new URL(url).origin === host.origin;
  const headers: Record<string, string> = isAuthed ? { Authorization: host.authorization } : {};
  return { operation: 'download', url, method: 'GET', headers };
}

/**
 * PUT to a signed upload URL with exactly `headers`. Bytes, never a string: fetch adds
 * `Content-Type: text/plain;charset=UTF-8` to a string body, a header the signed URL was not signed
 * with. wandb-core sends only the listed headers
 * (wandb/wandb core/internal/filetransfer/file_transfer_default.go).
 */
export function uploadRequest(
  host: WandbHost,
  url: string,
  body: Uint8Array | string,
  headers: Readonly<Record<string, string>>,
): WandbRequest {
  const bytes =
    typeof body === 'string'
      ? Buffer.from(body, 'utf8')
      : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return {
    operation: 'upload',
    url: resolveUploadUrl(host.baseUrl, url),
    method: 'PUT',
    headers: { ...headers },
    body: bytes,
  };
}

/** POST {base}/files/{entity}/{project}/{run}/file_stream with a JSON body. */
export function fileStreamRequest(host: WandbHost, run: RunPath, body: unknown): WandbRequest {
  const path = [run.entity, run.project, run.run].map(encodeURIComponent).join('/');
  return {
    operation: 'file_stream',
    url: `${host.baseUrl}/files/${path}/file_stream`,
    method: 'POST',
    headers: jsonHeaders(host),
    body: JSON.stringify(body),
  };
}
