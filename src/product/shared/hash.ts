import { createHash } from 'node:crypto';

// Content hashes, one place: the pure files that name things by their content (Table files, HTML media,
// alert titles, Report ids, artifact manifests) import these rather than node:crypto, so they stay free
// of node:* imports.

/** Lower-case hex SHA-256 of the text (UTF-8) or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Base64 MD5 of the text (UTF-8) or bytes: the `md5`/`digest` form W&B uses for files. */
export function md5Base64(data: string | Uint8Array): string {
  return createHash('md5').update(data).digest('base64');
}

/** Lower-case hex MD5 of the text (UTF-8) or bytes. */
export function md5Hex(data: string | Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}
