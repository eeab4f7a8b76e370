/**
 * Evenly spaced, deterministic subsample of at most `samples` items that keeps the first and last.
 * Everything is returned when the list already fits (or no limit is given).
 * W&B's own algorithm is unconfirmed (docs/wandb-protocol.md §5.1); this is the documented local choice.
 */
export function sampleEvenly<T>(items: readonly T[], samples: number | null | undefined): T[] {
  const n = items.length;
  if (samples === null || samples === undefined || n <= samples) return [...items];
  if (samples <= 0) return [];
  if (samples === 1) return items.slice(0, 1);
  const picked: T[] = [];
  for (let i = 0; i < samples; i += 1) {
    // n > samples, so consecutive indices differ and the last one is n - 1.
    const index = Math.round((i * (n - 1)) / (samples - 1));
    picked.push(items[index] as T);
  }
  return picked;
}
