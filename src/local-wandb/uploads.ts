import { randomBytes } from 'node:crypto';

/** What a signed upload URL writes to once its PUT arrives. */
export type UploadTarget =
  | { kind: 'run-file'; entity: string; project: string; run: string; name: string }
  | { kind: 'artifact-file'; artifactId: string; fileId: string }
  | { kind: 'manifest'; artifactId: string };

/**
 * Stand-in for signed storage URLs: a random token in the path authorises one target, so the PUT needs no
 * W&B auth (wandb-protocol.md §1.2). Tokens live in memory: a URL does not outlive the server process.
 */
export type UploadRegistry = {
  url(baseUrl: string, target: UploadTarget): string;
  take(token: string): UploadTarget | undefined;
};

export function createUploadRegistry(): UploadRegistry {
  const pending = new Map<string, UploadTarget>();
  return {
    url(baseUrl, target) {
      const token = randomBytes(16).toString('hex');
      pending.set(token, target);
      return `${baseUrl}/_local/upload/${token}`;
    },
    // A token stays valid after use: clients retry PUTs (internal_api.py upload_file).
    take: (token) => pending.get(token),
  };
}
