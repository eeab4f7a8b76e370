import type { Store } from './store.js';
import type { UploadRegistry } from './uploads.js';

/** What every resolver receives: the store, where uploads go, and the base URL clients reached us on. */
export type GqlContext = {
  store: Store;
  uploads: UploadRegistry;
  baseUrl: string;
  /** Run ids whose history and events always answer HTTP 500 (a fault mode). */
  failingHistory?: ReadonlySet<string> | undefined;
};

export type Args = Record<string, unknown>;

export const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
export const int = (value: unknown): number | null => (typeof value === 'number' ? value : null);
