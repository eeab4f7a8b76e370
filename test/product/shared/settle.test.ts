import { describe, expect, it } from 'vitest';
import { allSettledOrThrow } from '../../../src/product/shared/settle.js';

describe('allSettledOrThrow', () => {
  it('returns the values in input order', async () => {
    const late = new Promise<number>((resolve) => setTimeout(() => resolve(1), 20));
    expect(await allSettledOrThrow([late, Promise.resolve(2)])).toEqual([1, 2]);
  });

  it('rejects with the first failure only after every promise settled', async () => {
    let slowDone = false;
    const slow = new Promise<number>((resolve) =>
      setTimeout(() => {
        slowDone = true;
        resolve(3);
      }, 30),
    );
    const failing = Promise.reject(new Error('first'));
    const failingToo = Promise.reject(new Error('second'));
    await expect(allSettledOrThrow([slow, failing, failingToo])).rejects.toThrow('first');
    expect(slowDone).toBe(true);
  });
});
