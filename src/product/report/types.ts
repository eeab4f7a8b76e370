/** What the dashboard page shows, as read from the local server's store (no rendering here). */

export type Cell = string | number | boolean | null;

/** A W&B Table as its `media/table/*.table.json` file holds it: column names and rows. */
export type TableData = { readonly columns: readonly string[]; readonly rows: readonly (readonly Cell[])[] };

/** A run holding the dashboard's `latest` tag and the Tables its summary references. */
export type PublishedRun = {
  /** Its other tag: `overall` or a company name. */
  readonly tag: string;
  readonly runId: string;
  readonly displayName: string;
  /** T of a `Tables_<T>` run; undefined for other names. */
  readonly target: string | undefined;
  /** Epoch ms, by the server's clock. */
  readonly createdAt: number;
  /** By summary key, in the order the summary lists them. */
  readonly tables: Readonly<Record<string, TableData>>;
  /** Summary keys whose table file is missing or not a Table. */
  readonly unreadable: readonly { readonly key: string; readonly reason: string }[];
};

export type AlertItem = {
  readonly title: string;
  readonly text: string;
  readonly severity: string;
  /** T of the Tables run the alert was sent from, when it is one. */
  readonly target: string | undefined;
  /** As the server stored it (ISO time). */
  readonly time: string;
};

export type DashboardData = {
  readonly entity: string;
  readonly project: string;
  readonly tag: string;
  readonly runs: readonly PublishedRun[];
  /** Alerts sent from runs of the project, oldest first. */
  readonly alerts: readonly AlertItem[];
};
