import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type AwsEnv, awsClientConfig } from '../shared/aws-client-config.js';
import { sha256Hex } from '../shared/hash.js';
import { type ReadBytes, readAtMost, readConfigFile } from './config-bytes.js';
import { MAX_CONFIG_BYTES } from './limits.js';
import { ConfigError, configTextOf, parseConfigText } from './load.js';
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

/**
 * Reads and validates a config from a file or S3; a missing or unreadable one, one past
 * MAX_CONFIG_BYTES or one that is not UTF-8 is a ConfigError (exit 2).
 */
export async function loadConfigFrom(location: ConfigLocation, env: AwsEnv): Promise<LoadedConfig> {
  const source = describeLocation(location);
  const read = await readBytes(location, env).catch((error: unknown) => {
    throw new ConfigError(
      source,
      [{ path: '(file)', message: `cannot read ${kindOf(location)} (${reason(error)})` }],
      {
        cause: error,
      },
    );
  });
  const { text, bytes } = configTextOf(read, source, kindOf(location));
  return { config: parseConfigText(text, source), source, sha256: sha256Hex(bytes) };
}

async function readBytes(location: ConfigLocation, env: AwsEnv): Promise<ReadBytes> {
  if (location.kind === 'file') return readConfigFile(location.path);
  // The config's own region is not known before reading it: the task's AWS_REGION applies.
  const client = new S3Client({ ...awsClientConfig(env, 'AWS_ENDPOINT_URL_S3'), forcePathStyle: true });
  try {
    const answer = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    const body: unknown = answer.Body;
    if (!isByteStream(body)) throw new Error('the S3 answer has no byte stream');
    // The size S3 announces refuses a large object unread; counting while reading covers the rest.
    if ((answer.ContentLength ?? 0) > MAX_CONFIG_BYTES) {
      body.destroy();
      return { ok: false, readBytes: answer.ContentLength ?? 0 };
    }
    return await readAtMost(body);
  } finally {
    client.destroy();
  }
}

type ByteStream = AsyncIterable<Uint8Array> & { destroy(): void };

/** In Node the SDK's body is a Readable (Buffers, destroyed to stop it); anything else is no answer. */
function isByteStream(body: unknown): body is ByteStream {
  return (
    typeof body === 'object' &&
    body !== null &&
    Symbol.asyncIterator in body &&
    typeof (body as { destroy?: unknown }).destroy === 'function'
  );
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
