import { createHash } from 'node:crypto';
import { z } from 'zod';

// Manifest v1 (docs/wandb-protocol.md §11 step 4) and the artifact digest (docs/wandb-protocol.md §11, "Artifact digest").

export type ManifestEntry = { path: string; digest: string; size: number; birthArtifactID?: string };

/** Base64 MD5 of the bytes: the `md5`/`digest` form W&B uses for files. */
export function md5Base64(body: Buffer | string): string {
  return createHash('md5').update(body).digest('base64');
}

const byPath = <T extends { path: string }>(entries: readonly T[]): T[] =>
  [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

/**
 * The `digest` of createArtifact: hex MD5 of `"wandb-artifact-manifest-v1\n"` followed by one
 * `"<path>:<base64 md5>\n"` per entry, sorted by path (py0173 artifact_manifest_v1.py `digest`).
 */
export function artifactDigest(entries: readonly { path: string; digest: string }[]): string {
  const hash = createHash('md5').update('wandb-artifact-manifest-v1\n');
  for (const entry of byPath(entries)) hash.update(`${entry.path}:${entry.digest}\n`);
  return hash.digest('hex');
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

/** What a reader needs from a manifest; unknown keys (`ref`, `extra`, `local_path`, …) are ignored. */
export const manifestSchema = z.object({
  version: z.number().optional(),
  contents: z.record(z.string(), z.object({ digest: z.string(), size: z.number().nullish() })),
});
