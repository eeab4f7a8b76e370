/** Relay-style page of a list with opaque offset cursors; `after` may be null or "" (docs/wandb-protocol.md §4.1). */
export type Connection<T> = {
  edges: { cursor: string; node: T }[];
  pageInfo: {
    startCursor: string | null;
    endCursor: string | null;
    hasNextPage: boolean;
    hasPreviousPage: boolean;
  };
  totalCount: number;
};

const DEFAULT_PAGE_SIZE = 50;

function encodeCursor(index: number): string {
  return Buffer.from(`cursor:${index}`).toString('base64');
}

/** Index just after the cursor's item; unknown cursors restart from the beginning. */
function startAfter(cursor: string | null | undefined): number {
  if (!cursor) return 0;
  const match = /^cursor:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match ? Number(match[1]) + 1 : 0;
}

export function paginate<S, T>(
  items: readonly S[],
  args: { first?: number | null; after?: string | null },
  toNode: (item: S) => T,
): Connection<T> {
  const start = startAfter(args.after);
  const size = args.first === null || args.first === undefined ? DEFAULT_PAGE_SIZE : Math.max(0, args.first);
  const page = items.slice(start, start + size);
  const edges = page.map((item, i) => ({ cursor: encodeCursor(start + i), node: toNode(item) }));
  return {
    edges,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
      hasNextPage: start + page.length < items.length,
      hasPreviousPage: start > 0,
    },
    totalCount: items.length,
  };
}
