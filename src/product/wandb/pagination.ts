import { InternalError } from '../shared/errors.js';

/** One page of a GraphQL connection, reduced to what the loop needs. */
export type Page<N> = { nodes: N[]; endCursor: string | null; hasNextPage: boolean };

/**
 * Follows `pageInfo.endCursor` from a null cursor. Stops on `hasNextPage: false`, on an empty page (the
 * Python original's stop rule, docs/wandb-protocol.md §4.1), or when the cursor does not move.
 */
export async function collectPages<N>(fetchPage: (cursor: string | null) => Promise<Page<N>>): Promise<N[]> {
  const all: N[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page: Page<N> = await fetchPage(cursor);
    all.push(...page.nodes);
    if (!page.hasNextPage || page.nodes.length === 0) return all;
    if (page.endCursor === null || page.endCursor === cursor) return all;
    cursor = page.endCursor;
  }
}

/** A connection being paged inside an aliased query: its position among the inputs, its cursor and page number (0 first). */
export type PendingPage = { readonly index: number; readonly cursor: string | null; readonly page: number };

/**
 * Pages several connections at once: each request carries up to `perRequest` unfinished ones (as
 * aliased fields, each with its own cursor) and `fetchRound` returns their pages in the same order.
 * Each connection stops by collectPages' rule. Returns the nodes of each input, in input order.
 */
export async function collectAliasedPages<N>(
  count: number,
  perRequest: number,
  fetchRound: (batch: readonly PendingPage[]) => Promise<Page<N>[]>,
): Promise<N[][]> {
  const all: N[][] = Array.from({ length: count }, () => []);
  let pending: PendingPage[] = all.map((_, index) => ({ index, cursor: null, page: 0 }));
  const size = Math.max(1, perRequest);
  while (pending.length > 0) {
    const batches = Array.from({ length: Math.ceil(pending.length / size) }, (_, i) =>
      pending.slice(i * size, (i + 1) * size),
    );
    const pages = await Promise.all(batches.map((batch) => fetchRound(batch)));
    const next: PendingPage[] = [];
    batches.forEach((batch, b) => {
      batch.forEach((item, i) => {
        const page = pages[b]?.[i];
        if (!page) throw new InternalError(`collectAliasedPages: no page for connection ${item.index}`);
        all[item.index]!.push(...page.nodes);
        const isStuck = page.endCursor === null || page.endCursor === item.cursor;
        if (page.hasNextPage && page.nodes.length > 0 && !isStuck) {
          next.push({ index: item.index, cursor: page.endCursor, page: item.page + 1 });
        }
      });
    });
    pending = next;
  }
  return all;
}
