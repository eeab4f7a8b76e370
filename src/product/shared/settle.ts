/**
 * Like Promise.all, but waits for every promise to settle before rejecting with the first failure (in
 * input order), so no request of a failed batch is still in flight when the caller handles the error.
 */
export async function allSettledOrThrow<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
