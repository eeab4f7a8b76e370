import { md5Hex } from './hash.js';

// The W&B artifact manifest v1 (docs/wandb-protocol.md §11 step 4) and the artifact digest
// (docs/wandb-protocol.md §11, "Artifact digest"): computed here once, for the client that logs
// artifacts and for the local server that seeds them.

/** One file of an artifact: `digest` is its base64 MD5, `birthArtifactID` the version that first stored it. */
export type ManifestEntry = { path: string; digest: string; size: number; birthArtifactID?: string };

const byPath = <T extends { path: string }>(entries: readonly T[]): T[] =>
  [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

/**
 * The `digest` of createArtifact: hex MD5 of `"wandb-artifact-manifest-v1\n"` followed by one
 * `"<path>:<base64 md5>\n"` per entry, sorted by path (py0173 artifact_manifest_v1.py `digest`).
 */
export function artifactDigest(entries: readonly Pick<ManifestEntry, 'path' | 'digest'>[]): string {
  const lines = byPath(entries).map((entry) => `${entry.path}:${entry.digest}\n`);
  return md5Hex(`wandb-artifact-manifest-v1\n${lines.join('')}`);
}

/** The manifest file bytes, entries sorted by path (py0173 `to_manifest_json`). */
export function manifestJson(entries: readonly ManifestEntry[]): string {
  const contents: Record<string, { digest: string; size: number; birthArtifactID?: string }> = {};
  for (const e of byPath(entries)) {
    contents[e.path] = {
      digest: e.digest,
      size: e.size,
      ...(e.birthArtifactID === undefined ? {} : { birthArtifactID: e.birthArtifactID }),
    };
  }
  return JSON.stringify({
    version: 1,
    storagePolicy: 'wandb-storage-policy-v1',
    storagePolicyConfig: { storageLayout: 'V2' },
    contents,
  });
}
