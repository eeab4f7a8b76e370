import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { PRODUCT_VERSION } from '../../../src/product/shared/version.js';

describe('PRODUCT_VERSION', () => {
  it("equals package.json's version (bump both together)", async () => {
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(PRODUCT_VERSION).toBe(pkg.version);
  });
});
