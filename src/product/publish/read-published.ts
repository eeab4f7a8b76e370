import { parseTableJson, tableRefOf } from '../report/table-json.js';
import type { DashboardData, PublishedRun, TableData } from '../report/types.js';
import { type IsoDate, parseWandbTime } from '../shared/dates.js';
import { AppError } from '../shared/errors.js';
import type { WandbClient } from '../wandb/client.js';
import { downloadRunFile, runFileLinks } from '../wandb/run-files.js';
import { listRunsByTag } from '../wandb/run-writer.js';
import { listRuns, type RunNode } from '../wandb/runs.js';
import { compareTablesRuns, tablesRunOf } from './latest-tag.js';

export type DashboardQuery = {
  readonly entity: string;
  readonly project: string;
  /** The tag the runs hold: `latest`. */
  readonly tag: string;
  /** Read the `Tables_<target>` runs instead (per tag the one `latest` would prefer), held or not. */
  readonly target?: IsoDate | undefined;
  /** `overall` and the companies' tags (with `target`). */
  readonly tags?: readonly string[];
};

/**
 * What the dashboard project publishes, read through W&B's API from any W&B server: the runs carrying
 * `tag` (normally `latest`) or those of one date, each with the Tables its summary references,
 * downloaded from the run's files as the W&B UI reads them. W&B's public API reads no alerts, so the
 * page shows none.
 */
export async function readPublishedDashboard(
  client: WandbClient,
  query: DashboardQuery,
): Promise<DashboardData> {
  const nodes =
    query.target === undefined
      ? await listRunsByTag(client, query.entity, query.project, query.tag)
      : await runsOfDate(client, query, query.target);
  if (nodes.length === 0) {
    const which = query.target === undefined ? `holding ${query.tag}` : `named Tables_${query.target}`;
    throw new NothingPublishedError(`${query.entity}/${query.project} has no runs ${which}`);
  }
  const runs = await Promise.all(nodes.map((node) => publishedRun(client, query, node)));
  return { entity: query.entity, project: query.project, tag: query.tag, runs, alerts: [] };
}

/** The dashboard project holds nothing to show (exit 1). */
export class NothingPublishedError extends AppError {
  override readonly name = 'NothingPublishedError';
  readonly code = 'NOTHING_PUBLISHED';
}

/** Per tag, the `Tables_<target>` run the retag ranks first (newest dataset version). */
async function runsOfDate(client: WandbClient, query: DashboardQuery, target: IsoDate): Promise<RunNode[]> {
  // `display_name` is a documented filter field (Python SDK `Api.runs` docstring).
  const named = await listRuns(client, {
    entity: query.entity,
    project: query.project,
    filters: { display_name: `Tables_${target}` },
  });
  const best = new Map<string, RunNode>();
  for (const tag of query.tags ?? []) {
    for (const node of named.filter((n) => n.tags.includes(tag))) {
      const current = best.get(tag);
      if (!current || compareTablesRuns(tablesRunOf(node), tablesRunOf(current), tag) > 0)
        best.set(tag, node);
    }
  }
  // As the run holding `latest` for that tag would show it.
  return [...best].map(([tag, node]) => ({ ...node, tags: [tag, query.tag] }));
}

async function publishedRun(
  client: WandbClient,
  query: DashboardQuery,
  node: RunNode,
): Promise<PublishedRun> {
  const refs = Object.entries(asRecord(node.summaryMetrics)).flatMap(([key, value]) => {
    const ref = tableRefOf(value);
    return ref ? [{ key, path: ref.path }] : [];
  });
  const run = { entity: query.entity, project: query.project, run: node.name };
  const links = new Map(
    (
      await runFileLinks(
        client,
        run,
        refs.map((r) => r.path),
      )
    ).map((l) => [l.name, l]),
  );
  const tables: Record<string, TableData> = {};
  const unreadable: { key: string; reason: string }[] = [];
  for (const { key, path } of refs) {
    const link = links.get(path);
    if (!link) {
      unreadable.push({ key, reason: `${path} was not uploaded` });
      continue;
    }
    const parsed = parseTableJson((await downloadRunFile(client, link)).toString('utf8'));
    if (parsed.ok) tables[key] = parsed.table;
    else unreadable.push({ key, reason: `${path}: ${parsed.reason}` });
  }
  return {
    tag: node.tags.filter((t) => t !== query.tag).join(', '),
    runId: node.name,
    displayName: node.displayName ?? node.name,
    target: tablesRunOf(node).target,
    createdAt: parseWandbTime(node.createdAt) ?? Number.NaN,
    tables,
    unreadable,
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

export type LoggedPage = {
  readonly runId: string;
  /** The page's signed link (W&B's `directUrl`): opens without the API key while it is valid. */
  readonly directUrl: string | undefined;
  readonly html: string;
};

/** The page the run holding `latest` with `runTag` logged under `key` (`dashboard` on `overall`). */
export async function readLoggedPage(
  client: WandbClient,
  query: Pick<DashboardQuery, 'entity' | 'project' | 'tag'>,
  runTag: string,
  key: string,
): Promise<LoggedPage | undefined> {
  const holders = await listRunsByTag(client, query.entity, query.project, query.tag);
  const node = holders.find((r) => r.tags.includes(runTag));
  const ref = node ? asRecord(asRecord(node.summaryMetrics)[key]) : {};
  if (!node || ref._type !== 'html-file' || typeof ref.path !== 'string') return undefined;
  const run = { entity: query.entity, project: query.project, run: node.name };
  const [link] = await runFileLinks(client, run, [ref.path]);
  if (!link) return undefined;
  const html = (await downloadRunFile(client, link)).toString('utf8');
  return { runId: node.name, directUrl: link.directUrl, html };
}
