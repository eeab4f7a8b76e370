import type { Provenance } from '../shared/provenance.js';
import { PRODUCT_VERSION } from '../shared/version.js';
import type { CliIo } from './io.js';

/** Set by the task to the image's digest (`sha256:…`); recorded only when set (docs/behaviour.md §12). */
export const IMAGE_DIGEST_ENV = 'GPU_DASHBOARD_IMAGE_DIGEST';

/** What `run` and `check` record about themselves: this version, the config they loaded, the image. */
export function cliProvenance(configSha256: string, io: Pick<CliIo, 'env'>): Provenance {
  return {
    productVersion: PRODUCT_VERSION,
    configSha256,
    imageDigest: io.env[IMAGE_DIGEST_ENV]?.trim() || undefined,
  };
}
