import type { MetricsPattern } from '../../seed/types.js';

/** In-memory records of the local server's state; times are epoch milliseconds. */
export type RunInfoRec = { gpu: string | null; gpuCount: number | null; cpuCount: number | null };

/**
 * The W&B user a run belongs to (`Run.user`): `username` is the login W&B's filters and clients use,
 * `name` the display name (`User.name`, non-null in W&B's schema: the username when none is known).
 */
export type UserRec = { username: string; name: string };

/** The API key's user, the owner W&B gives a run the key creates: named like the viewer entity. */
export const viewerUserRec = (viewer: string | null): UserRec | null =>
  viewer === null ? null : { username: viewer, name: viewer };

export type StoredFile = { name: string; md5: string; size: number; blob: string; updatedAt: number };

/** The line streams of a run, kept as JSONL files on disk (one file per stream). */
export const LINE_FILES = ['wandb-history.jsonl', 'wandb-events.jsonl', 'output.log'] as const;
export type LineFile = (typeof LINE_FILES)[number];

export type RunRec = {
  entity: string;
  project: string;
  name: string;
  displayName: string | null;
  description: string | null;
  notes: string | null;
  state: string;
  tags: string[];
  host: string | null;
  group: string | null;
  jobType: string | null;
  sweepName: string | null;
  commit: string | null;
  createdAt: number;
  updatedAt: number;
  heartbeatAt: number;
  runInfo: RunInfoRec | null;
  /** Who ran it (`Run.user`); null for a run W&B names no user for. */
  user: UserRec | null;
  /** JSONString values, stored as the text clients sent. */
  config: string;
  summaryMetrics: string;
  systemMetrics: string;
  exitcode: number | null;
  lineCounts: Record<LineFile, number>;
  /** Seeded events described by a pattern instead of stored lines (large fleets); null otherwise. */
  eventsPattern: MetricsPattern | null;
  files: Record<string, StoredFile>;
};

export type ProjectRec = {
  /** Numeric database id: Python 0.30 does int(projectId) (runs.py _load_with_fragment). */
  internalId: number;
  entity: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  description: string | null;
};

/** A saved view (a Report is a view of type `runs`); `spec` is the JSONString text the client sent. */
export type ViewRec = {
  /** base64 of `View:<n>`, W&B's form. */
  id: string;
  entity: string;
  project: string;
  name: string;
  displayName: string | null;
  description: string | null;
  type: string | null;
  createdUsing: string;
  spec: string | null;
  /** Who created it and who saved it last (the API key's user). */
  user: string | null;
  updatedBy: string | null;
  locked: boolean;
  parentId: string | null;
  coverUrl: string | null;
  previewUrl: string | null;
  showcasedAt: number | null;
  createdAt: number;
  updatedAt: number;
};

export type ArtifactFileRec = {
  id: string;
  name: string;
  md5: string;
  blob: string | null;
  size: number | null;
};

export type ArtifactRec = {
  id: string;
  entity: string;
  project: string;
  collection: string;
  type: string;
  digest: string;
  state: 'PENDING' | 'COMMITTED';
  versionIndex: number | null;
  /** Aliases asked for at creation; applied at commit so a half-written version is never `latest`. */
  requestedAliases: string[];
  createdAt: number;
  updatedAt: number;
  description: string | null;
  metadata: string | null;
  runName: string | null;
  manifest: { id: string; digest: string; blob: string | null } | null;
  files: ArtifactFileRec[];
};

export type CollectionRec = {
  id: string;
  entity: string;
  project: string;
  name: string;
  type: string;
  createdAt: number;
  /** alias -> artifact id; `v<N>` aliases are implicit and not stored. */
  aliases: Record<string, string>;
};

export type AlertRec = {
  title: string;
  text: string;
  severity: string;
  entity: string;
  project: string;
  run: string;
  waitDuration: number | null;
  time: string;
};

export type GlobalState = {
  viewer: string | null;
  entities: { name: string; createdAt: number }[];
  artifacts: ArtifactRec[];
  collections: CollectionRec[];
  nextId: number;
};
