import { TABLES_JOB_TYPE } from '../calculator/publish-tables.js';
import type { RunRec } from '../local-wandb/model.js';
import type { Store } from '../local-wandb/store.js';
import { parseTableJson, tableRefOf } from './table-json.js';
import type { AlertItem, DashboardData, PublishedRun, TableData } from './types.js';

const TABLES_NAME = /^Tables_(\d{4}-\d{2}-\d{2})$/;

export type DashboardQuery = { readonly entity: string; readonly project: string; readonly tag: string };

/** What gathering reads: the server's runs and alerts, and the bytes of stored files. */
export type DashboardStore = Pick<Store, 'runsOf' | 'alerts' | 'entities' | 'projectsOf'> & {
  readBlob(hex: string): Promise<string | undefined>;
};

/**
 * What the W&B UI would show for the dashboard project: the runs carrying `tag`, each with the
 * Tables its summary references (read from the uploaded table files), and the project's alerts.
 */
export async function gatherDashboard(store: DashboardStore, query: DashboardQuery): Promise<DashboardData> {
  const all = store.runsOf(query.entity, query.project);
  const tagged = all.filter((r) => r.tags.includes(query.tag));
  const runs = await Promise.all(tagged.map((run) => publishedRun(store, run, query.tag)));
  const targets = new Map(all.map((r) => [r.name, targetOf(r.displayName)]));
  const alerts: AlertItem[] = store
    .alerts()
    .filter((a) => a.entity === query.entity && a.project === query.project)
    .map((a) => ({
      title: a.title,
      text: a.text,
      severity: a.severity,
      target: targets.get(a.run),
      time: a.time,
    }));
  return { ...query, runs, alerts };
}

/** Projects holding Tables runs that carry `tag`: where a dashboard exists. */
export function findDashboards(store: DashboardStore, tag: string): DashboardQuery[] {
  return store.entities().flatMap((entity) =>
    store
      .projectsOf(entity)
      .filter((p) =>
        store.runsOf(entity, p.name).some((r) => r.jobType === TABLES_JOB_TYPE && r.tags.includes(tag)),
      )
      .map((p) => ({ entity, project: p.name, tag })),
  );
}

async function publishedRun(store: DashboardStore, run: RunRec, tag: string): Promise<PublishedRun> {
  const tables: Record<string, TableData> = {};
  const unreadable: { key: string; reason: string }[] = [];
  for (const [key, value] of Object.entries(parseSummary(run.summaryMetrics))) {
    const ref = tableRefOf(value);
    if (!ref) continue;
    const file = run.files[ref.path];
    const text = file ? await store.readBlob(file.blob) : undefined;
    if (text === undefined) {
      unreadable.push({ key, reason: `${ref.path} was not uploaded` });
      continue;
    }
    const parsed = parseTableJson(text);
    if (parsed.ok) tables[key] = parsed.table;
    else unreadable.push({ key, reason: `${ref.path}: ${parsed.reason}` });
  }
  return {
    tag: run.tags.filter((t) => t !== tag).join(', '),
    runId: run.name,
    displayName: run.displayName ?? run.name,
    target: targetOf(run.displayName),
    createdAt: run.createdAt,
    tables,
    unreadable,
  };
}

function targetOf(displayName: string | null): string | undefined {
  return displayName ? TABLES_NAME.exec(displayName)?.[1] : undefined;
}

function parseSummary(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
