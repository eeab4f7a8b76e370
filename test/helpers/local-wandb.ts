import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type LocalWandb,
  type LocalWandbOptions,
  startLocalWandb,
} from '../../src/world/local-wandb/listen.js';

// 40+ characters: the Python SDK 0.30 rejects shorter keys.
export const API_KEY = 'testkey0123456789012345678901234567890123';

export const basicAuth = (key: string = API_KEY): string =>
  `Basic ${Buffer.from(`api:${key}`).toString('base64')}`;

export async function tempDir(prefix = 'local-wandb-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Starts a server on port 0 in a fresh temp data dir (unless one is given). */
export async function startTestServer(
  options: Partial<LocalWandbOptions> = {},
): Promise<LocalWandb & { dataDir: string }> {
  const dataDir = options.dataDir ?? (await tempDir());
  const server = await startLocalWandb({ apiKey: API_KEY, ...options, dataDir });
  return { ...server, dataDir };
}

export type GqlResponse = {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; path?: unknown[] }[] };
  contentType: string | null;
};

/** POSTs one GraphQL request the way the SDKs do (Basic auth, JSON body). */
export async function gql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: { key?: string | null; path?: string; operationName?: string } = {},
): Promise<GqlResponse> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (options.key !== null) headers.Authorization = basicAuth(options.key ?? API_KEY);
  const res = await fetch(`${url}${options.path ?? '/graphql'}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      query,
      variables,
      ...(options.operationName ? { operationName: options.operationName } : {}),
    }),
  });
  return {
    status: res.status,
    body: (await res.json()) as GqlResponse['body'],
    contentType: res.headers.get('content-type'),
  };
}

/** Reads `data` and fails loudly on GraphQL errors. */
export async function gqlData<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const res = await gql(url, query, variables);
  if (res.status !== 200 || res.body.errors)
    throw new Error(`GraphQL failed (${res.status}): ${JSON.stringify(res.body.errors)}`);
  return res.body.data as T;
}

export const UPSERT_BUCKET = /* GraphQL */ `
  mutation UpsertBucket($id: String, $name: String, $project: String, $entity: String, $displayName: String,
    $config: JSONString, $tags: [String!], $state: String, $summaryMetrics: JSONString, $host: String) {
    upsertBucket(input: { id: $id, name: $name, modelName: $project, entityName: $entity, displayName: $displayName,
        config: $config, tags: $tags, state: $state, summaryMetrics: $summaryMetrics, host: $host }) {
      bucket { id name displayName description config sweepName tags state project { id name entity { id name } } }
      inserted
    }
  }`;
