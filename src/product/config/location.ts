import { resolve } from 'node:path';
import { UsageError } from '../shared/errors.js';

/** Where a config lives: a file, or one S3 object (`s3://bucket/key`) so a deployment can change it without a rebuild. */
export type ConfigLocation =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string };

const S3_URI = /^s3:\/\/([^/]+)\/(.+)$/;

/** A --config / $GPU_DASHBOARD_CONFIG value: `s3://bucket/key`, else a path relative to `cwd`. */
export function parseConfigLocation(value: string, cwd: string, origin: string): ConfigLocation {
  if (value.startsWith('s3://')) {
    const match = S3_URI.exec(value);
    if (!match) throw new UsageError(`${origin}: "${value}" is not s3://bucket/key`);
    return { kind: 's3', bucket: match[1] as string, key: match[2] as string };
  }
  return { kind: 'file', path: resolve(cwd, value) };
}

export function describeLocation(location: ConfigLocation): string {
  return location.kind === 'file' ? location.path : `s3://${location.bucket}/${location.key}`;
}
