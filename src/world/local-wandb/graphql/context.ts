import type { PatternEvents } from '../files/events-pattern.js';
import type { UrlSigner } from '../files/signed-urls.js';
import type { UploadRegistry } from '../files/upload-targets.js';
import type { ProjectRec } from '../store/model.js';
import type { Store } from '../store/store.js';

/** What every resolver receives: the store, where uploads go, and the base URL clients reached us on. */
export type GqlContext = {
  store: Store;
  uploads: UploadRegistry;
  /** Signs the `directUrl`s handed out (docs/wandb-protocol.md §1.2: fetched without W&B auth). */
  signer: UrlSigner;
  baseUrl: string;
  /** Run ids whose history and events always answer HTTP 500 (a fault mode). */
  failingHistory?: ReadonlySet<string> | undefined;
  /** Event lines of pattern-seeded runs. */
  patterns: PatternEvents;
  /**
   * The project-level views, reached through the context: W&B's graph is recursive (a run's project,
   * a project's runs), and this keeps the view files importing one way (views-project.ts imports the rest).
   */
  projectViews: ProjectViews;
};

export type ProjectViews = {
  projectView(project: ProjectRec, ctx: GqlContext): object;
  entityView(name: string, ctx: GqlContext): object;
  artifactTypeView(project: ProjectRec, name: string, ctx: GqlContext): object;
};

export type Args = Record<string, unknown>;

export const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
export const int = (value: unknown): number | null => (typeof value === 'number' ? value : null);
