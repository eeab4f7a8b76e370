import { readFile } from 'node:fs/promises';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type AwsEnv, awsClientConfig } from '../shared/aws-client-config.js';
import { sha256Hex } from '../shared/hash.js';
import { ConfigError, parseConfigText } from './load.js';
import { type ConfigLocation, describeLocation } from './location.js';
import type { Config } from './types.js';

/** A config as loaded: the validated value, and where and what it was (for provenance). */
export type LoadedConfig = {
  readonly config: Config;
  /** `/abs/path/config.yaml` or `s3://bucket/key`. */
  readonly source: string;
  /** SHA-256 of the bytes read, hex. */
  readonly sha256: string;
};

/** Reads and validates a config from a file or S3; a missing or unreadable one is a ConfigError (exit 2). */
export async function loadConfigFrom(location: ConfigLocation, env: AwsEnv): Promise<LoadedConfig> {
  const source = describeLocation(location);
  const bytes = await readBytes(location, env).catch((error: unknown) => {
    throw new ConfigError(
      source,
      [{ path: '(file)', message: `cannot read ${kindOf(location)} (${reason(error)})` }],
      {
        cause: error,
      },
    );
  });
  const text = new TextDecoder('utf-8').decode(bytes);
  return { config: parseConfigText(text, source), source, sha256: sha256Hex(bytes) };
}

async function readBytes(location: ConfigLocation, env: AwsEnv): Promise<Uint8Array> {
  if (location.kind === 'file') return readFile(location.path);
  // The config's own region is not known before reading it: the task's AWS_REGION applies.
  const client = new S3Client({ ...awsClientConfig(env, 'AWS_ENDPOINT_URL_S3'), forcePathStyle: true });
  try {
    const answer = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    if (!answer.Body) throw new Error('empty body');
    return await answer.Body.transformToByteArray();
  } finally {
    client.destroy();
  }
}

function kindOf(location: ConfigLocation): string {
  return location.kind === 'file' ? 'the file' : 'the S3 object';
}

function reason(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; name?: unknown };
    if (typeof e.code === 'string') return e.code;
    if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
  }
  return error instanceof Error ? error.message : 'error';
}
