/**
 * Like Promise.all, but waits for every promise to settle before rejecting with the first failure (in
 * input order), so no request of a failed batch is still in flight when the caller handles the error.
 * A tuple of promises of different types gives the tuple of their values.
 */
export async function allSettledOrThrow<T extends readonly unknown[]>(
  promises: readonly [...{ [K in keyof T]: Promise<T[K]> }],
): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
