import { createHash } from 'node:crypto';

export type ManifestEntry = { path: string; digest: string; size: number };

/** Artifact digest: hex MD5 over the sorted `<path>:<b64 md5>` lines (artifact_manifest_v1.py `digest`, docs/wandb-protocol.md §11). */
export function artifactDigest(entries: readonly ManifestEntry[]): string {
  const hash = createHash('md5').update('wandb-artifact-manifest-v1\n');
  for (const e of sortByPath(entries)) hash.update(`${e.path}:${e.digest}\n`);
  return hash.digest('hex');
}

/** Manifest JSON in the v1 layout the Python SDK writes and reads (docs/wandb-protocol.md §11 step 4). */
export function manifestJson(entries: readonly ManifestEntry[], birthArtifactID: string): string {
  const contents = Object.fromEntries(
    sortByPath(entries).map((e) => [e.path, { digest: e.digest, size: e.size, birthArtifactID }]),
  );
  return JSON.stringify({
    version: 1,
    storagePolicy: 'wandb-storage-policy-v1',
    storagePolicyConfig: { storageLayout: 'V2' },
    contents,
  });
}

const sortByPath = (entries: readonly ManifestEntry[]) =>
  [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
