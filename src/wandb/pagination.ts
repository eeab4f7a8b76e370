/** One page of a GraphQL connection, reduced to what the loop needs. */
export type Page<N> = { nodes: N[]; endCursor: string | null; hasNextPage: boolean };

/**
 * Follows `pageInfo.endCursor` from a null cursor. Stops on `hasNextPage: false`, on an empty page (the
 * Python original's stop rule, wandb-protocol.md §4.1), or when the cursor does not move.
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
