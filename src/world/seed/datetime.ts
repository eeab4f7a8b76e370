/** W&B's DateTime wire form: UTC, no zone designator, no fraction (docs/wandb-protocol.md §4.4). */
export function formatWandbDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

const ISO_LIKE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses an ISO-8601 instant as W&B clients send it: with or without `Z`/offset and fraction.
 * A value without a zone is UTC (that is how W&B emits it). Returns undefined for anything else.
 */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const match = ISO_LIKE.exec(text);
  if (!match) return undefined;
  const normalized = text.replace(' ', 'T');
  const ms = Date.parse(
    match[1] === undefined ? `${normalized}${normalized.length > 10 ? 'Z' : ''}` : normalized,
  );
  return Number.isNaN(ms) ? undefined : ms;
}
