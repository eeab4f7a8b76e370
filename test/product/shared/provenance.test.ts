import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import { productFields, provenanceFields } from '../../../src/product/shared/provenance.js';

const SHA = 'ab'.repeat(32);
const range = { start: '2025-01-03' as IsoDate, end: '2025-01-09' as IsoDate };

describe('provenanceFields', () => {
  it('flattens the provenance, the job dates and the version read into snake_case keys', () => {
    expect(
      provenanceFields(
        { productVersion: '1.2.3', configSha256: SHA, imageDigest: `sha256:${'cd'.repeat(32)}` },
        range,
        4,
      ),
    ).toEqual({
      product_version: '1.2.3',
      config_sha256: SHA,
      image_digest: `sha256:${'cd'.repeat(32)}`,
      start_date: '2025-01-03',
      end_date: '2025-01-09',
      dataset_version_read: 4,
    });
  });

  it('records null when no dataset was read, and no image_digest key when none is given', () => {
    const fields = provenanceFields({ productVersion: '1.2.3', configSha256: SHA }, range, null);
    expect(fields).toEqual({
      product_version: '1.2.3',
      config_sha256: SHA,
      start_date: '2025-01-03',
      end_date: '2025-01-09',
      dataset_version_read: null,
    });
    expect(Object.keys(fields)).not.toContain('image_digest');
    // Version 0 is a version read, not "none".
    expect(
      provenanceFields({ productVersion: '1.2.3', configSha256: SHA }, range, 0).dataset_version_read,
    ).toBe(0);
  });

  it('leaves image_digest out, not undefined, when the digest is explicitly undefined', () => {
    const fields = provenanceFields(
      { productVersion: '1.2.3', configSha256: SHA, imageDigest: undefined },
      range,
      2,
    );
    expect('image_digest' in fields).toBe(false);
  });
});

describe('productFields', () => {
  it('holds only the product version, the config hash and the digest when given', () => {
    expect(productFields({ productVersion: '1.2.3', configSha256: SHA })).toEqual({
      product_version: '1.2.3',
      config_sha256: SHA,
    });
    expect(productFields({ productVersion: '1.2.3', configSha256: SHA, imageDigest: 'sha256:x' })).toEqual({
      product_version: '1.2.3',
      config_sha256: SHA,
      image_digest: 'sha256:x',
    });
  });
});
