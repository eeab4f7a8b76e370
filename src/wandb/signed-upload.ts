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

/** A signed upload URL must be absolute: it is PUT to as is, without W&B auth. */
export function absoluteUrl(operation: string, url: string): string {
  if (!URL.canParse(url)) throw new WandbResponseError(operation, 'upload URL is not absolute');
  return url;
}
