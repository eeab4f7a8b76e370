import { resolve } from 'node:path';
import { UsageError } from '../shared/errors.js';

/** Where a config lives: a file, or one S3 object (`s3://bucket/key`) so a deployment can change it without a rebuild. */
export type ConfigLocation =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string };

/** A URL's scheme (`https://…`, `S3://…`): such a value is never read as a path. */
const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const S3_URI = /^s3:\/\/([^/]+)\/(.+)$/i;
const ACCEPTED = 'a file path or s3://bucket/key';

/**
 * A --config / $GPU_DASHBOARD_CONFIG value: `s3://bucket/key` (the scheme in any case), else a path
 * relative to `cwd`. Any other URL (`https://…`, `file://…`) is refused: read as a path it would name a
 * file nobody meant.
 */
export function parseConfigLocation(value: string, cwd: string, origin: string): ConfigLocation {
  const scheme = URL_SCHEME.exec(value)?.[1];
  if (scheme === undefined) return { kind: 'file', path: resolve(cwd, value) };
  if (scheme.toLowerCase() !== 's3')
    throw new UsageError(`${origin}: "${value}" is a ${scheme}:// URL, which is not read; give ${ACCEPTED}`);
  const match = S3_URI.exec(value);
  if (!match) throw new UsageError(`${origin}: "${value}" is not s3://bucket/key`);
  return { kind: 's3', bucket: match[1] as string, key: match[2] as string };
}

export function describeLocation(location: ConfigLocation): string {
  return location.kind === 'file' ? location.path : `s3://${location.bucket}/${location.key}`;
}
