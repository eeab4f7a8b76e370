import { WandbResponseError } from './errors.js';

/** `uploadHeaders` entries are `"Name:Value"`: split on the first `:`, value not trimmed (py0173 upload_job.py). */
export function parseUploadHeaders(lines: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return headers;
}

/**
 * Where an upload goes: an absolute http(s) URL as is; a path (`/…`, a file store proxied by the
 * W&B host) appended to the base URL, as the Python SDK does
 * (wandb/wandb wandb/filesync/upload_job.py, `if upload_url.startswith("/")`).
 */
export function resolveUploadUrl(baseUrl: string, url: string): string {
  if (url.startsWith('/')) return `${baseUrl}${url}`;
  if (URL.canParse(url) && /^https?:$/.test(new URL(url).protocol)) return url;
  // The URL is left out of the message: a signed URL carries a token.
  throw new WandbResponseError('upload', 'upload URL is neither absolute nor a path');
}
