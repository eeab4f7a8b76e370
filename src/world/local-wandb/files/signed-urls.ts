import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { readTextIfExists } from '../store/persist.js';

/**
 * The query parameter holding a URL's signature, as GCS and S3 signed URLs carry theirs
 * (`X-Goog-Signature`, `X-Amz-Signature`): W&B clients fetch `directUrl`s and PUT to `uploadUrl`s
 * without W&B auth (docs/wandb-protocol.md §1.2), so the URL itself is the credential.
 */
const SIGNATURE_PARAM = 'signature';

/** The only paths a signature opens: run-file and artifact downloads, and upload PUTs (`/_local/<kind>/…`). */
const SIGNED_KINDS: ReadonlySet<string> = new Set(['files', 'blobs', 'upload']);

const SECRET_BYTES = 32;
const SECRET_PATTERN = /^[0-9a-f]{64}$/;

/** `missing`: no signature, or a path no signature opens; `invalid`: a signature that does not match. */
export type SignatureCheck = 'valid' | 'missing' | 'invalid';

export type UrlSigner = {
  /** The percent-encoded path of `segments` (decoded path segments) with its signature as the query. */
  signedPath(segments: readonly string[]): string;
  /** Checks the signature of a request to the path of `segments` (decoded, as routed). */
  check(segments: readonly string[], search: URLSearchParams): SignatureCheck;
};

/**
 * HMAC-SHA256 over the path, keyed with the data dir's secret. The path is signed in one canonical
 * form (each decoded segment re-encoded), so a client re-encoding the URL does not break it, and a
 * signature for one file opens no other path.
 */
export function createUrlSigner(secret: Uint8Array): UrlSigner {
  const canonical = (segments: readonly string[]) => `/${segments.map(encodeURIComponent).join('/')}`;
  const mac = (path: string) => createHmac('sha256', secret).update(path).digest('base64url');
  return {
    signedPath(segments) {
      const path = canonical(segments);
      return `${path}?${SIGNATURE_PARAM}=${mac(path)}`;
    },
    check(segments, search) {
      const given = search.get(SIGNATURE_PARAM);
      if (given === null || segments[0] !== '_local' || !SIGNED_KINDS.has(segments[1] ?? ''))
        return 'missing';
      // Compared as text: base64url decoding ignores stray characters, so bytes could match a tampered string.
      const expected = Buffer.from(mac(canonical(segments)));
      const actual = Buffer.from(given);
      return actual.length === expected.length && timingSafeEqual(actual, expected) ? 'valid' : 'invalid';
    },
  };
}

/**
 * The signing secret kept in the data dir, created on first start: signed links outlive a restart
 * over the same state (the demo prints one for a later `local-server`). Deleting the file revokes
 * every link handed out.
 */
export async function loadUrlSecret(path: string): Promise<Buffer> {
  const text = (await readTextIfExists(path))?.trim();
  if (text !== undefined && SECRET_PATTERN.test(text)) return Buffer.from(text, 'hex');
  const secret = randomBytes(SECRET_BYTES);
  await writeFile(path, `${secret.toString('hex')}\n`, { mode: 0o600 });
  return secret;
}
