import { randomBytes } from 'node:crypto';
import type { UrlSigner } from './signed-urls.js';

/** What a signed upload URL writes to once its PUT arrives. */
export type UploadTarget =
  | { kind: 'run-file'; entity: string; project: string; run: string; name: string }
  | { kind: 'artifact-file'; artifactId: string; fileId: string }
  | { kind: 'manifest'; artifactId: string };

/** One PUT that reached a known upload URL, with the request headers as received (names lower-case). */
export type UploadReceipt = { target: UploadTarget; headers: Record<string, string> };

export type UploadRegistryOptions = {
  /** Signs each upload URL: its signature, not W&B auth, lets the PUT in. */
  signer: UrlSigner;
  /** `uploadHeaders` ("Name:Value") handed out with every upload URL, as W&B lists a signed URL's headers. */
  headers?: readonly string[] | undefined;
  /** Hand out paths (`/_local/upload/…`) instead of absolute URLs, as W&B does for a file store it proxies. */
  isRelative?: boolean | undefined;
};

/**
 * Stand-in for signed storage URLs: a random token in the path names one target, and the URL's signature
 * lets the PUT in without W&B auth. Tokens live in memory: a URL does not outlive the server process.
 */
export type UploadRegistry = {
  url(baseUrl: string, target: UploadTarget): string;
  /** The `uploadHeaders` to answer next to each upload URL. */
  readonly headers: readonly string[];
  take(token: string): UploadTarget | undefined;
  record(receipt: UploadReceipt): void;
  /** The latest receipts, oldest first (GET /_local/uploads). */
  received(): readonly UploadReceipt[];
};

/** Receipts kept: enough for any test, bounded for a long-running demo server. */
const RECEIPTS_KEPT = 1000;

export function createUploadRegistry(options: UploadRegistryOptions): UploadRegistry {
  const pending = new Map<string, UploadTarget>();
  const receipts: UploadReceipt[] = [];
  return {
    url(baseUrl, target) {
      const token = randomBytes(16).toString('hex');
      pending.set(token, target);
      const path = options.signer.signedPath(['_local', 'upload', token]);
      return options.isRelative ? path : `${baseUrl}${path}`;
    },
    headers: [...(options.headers ?? [])],
    // A token stays valid after use: clients retry PUTs (internal_api.py upload_file).
    take: (token) => pending.get(token),
    record(receipt) {
      receipts.push(receipt);
      if (receipts.length > RECEIPTS_KEPT) receipts.shift();
    },
    received: () => [...receipts],
  };
}
