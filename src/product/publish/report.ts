import { z } from 'zod';
import { appUrlOf, reportUrl } from '../report/report-url.js';
import type { ReportSpec } from '../report/wandb-report-spec.js';
import { sha256Hex } from '../shared/hash.js';
import type { Logger } from '../shared/logger.js';
import type { WandbClient } from '../wandb/client.js';
import { WandbResponseError } from '../wandb/errors.js';
import { parseData } from '../wandb/json.js';
import { collectPages, type Page } from '../wandb/pagination.js';
import { PROJECT_VIEWS, UPSERT_VIEW } from '../wandb/queries.js';

/** W&B's view type of a published report (drafts are "runs/draft"): wandb-workspaces interface.py `Report.save`. */
const REPORT_VIEW_TYPE = 'runs';

export type PublishReportOptions = {
  /** The W&B API base URL (`WANDB_BASE_URL`); the report URL uses the app URL derived from it. */
  readonly baseUrl: string;
  readonly entity: string;
  readonly project: string;
  readonly title: string;
  readonly spec: ReportSpec;
  /** The view's description; empty when absent. */
  readonly description?: string;
  readonly log: Logger;
};

export type PublishedReport = {
  /** The view id (base64 of `View:<n>`). */
  readonly id: string;
  /** `<app>/<entity>/<project>/reports/<Title-slug>--<id>`. */
  readonly url: string;
  /** Whether this call created the report (false: an existing one was updated in place). */
  readonly isCreated: boolean;
};

type ReportNode = { id: string; name: string | null; displayName: string | null; createdAt: string };

const viewNode = z.object({
  id: z.string(),
  name: z.string().nullish(),
  displayName: z.string().nullish(),
  createdAt: z.string(),
});
const viewsSchema = z.object({
  project: z
    .object({
      allViews: z
        .object({
          edges: z.array(z.object({ node: viewNode.nullable() })),
          pageInfo: z.object({ endCursor: z.string().nullish(), hasNextPage: z.boolean() }),
        })
        .nullish(),
    })
    .nullable(),
});
const upsertSchema = z.object({
  upsertView: z
    .object({ view: z.object({ id: z.string() }).nullable(), inserted: z.boolean().nullish() })
    .nullable(),
});

/**
 * Creates the project's report titled `title`, or updates it in place: one report per title, found among
 * the project's views of type "runs". When several already share the title, the oldest is updated and
 * the others are left alone (with a warning).
 */
export async function publishReport(
  client: WandbClient,
  options: PublishReportOptions,
): Promise<PublishedReport> {
  const { entity, project, title, log } = options;
  const same = (await listReports(client, entity, project)).filter((r) => r.displayName === title);
  // Stable sort: equal creation times keep the listing's order.
  const [existing, ...others] = [...same].sort((a, b) =>
    a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0,
  );
  if (existing && others.length > 0) {
    log.warn('report.duplicate_title', { title, updated: existing.id, others: others.map((r) => r.id) });
  }
  const data = await client.graphql<unknown>('UpsertView', UPSERT_VIEW, {
    id: existing?.id ?? null,
    entityName: entity,
    projectName: project,
    type: REPORT_VIEW_TYPE,
    name: existing?.name ?? reportName(entity, project, title),
    displayName: title,
    description: options.description ?? '',
    spec: JSON.stringify(options.spec),
  });
  const view = parseData('UpsertView', upsertSchema, data).upsertView?.view;
  if (!view) throw new WandbResponseError('UpsertView', 'upsertView returned no view');
  const url = reportUrl({ appUrl: appUrlOf(options.baseUrl), entity, project, title, id: view.id });
  const isCreated = existing === undefined;
  log.info('report.published', { id: view.id, url, isCreated });
  return { id: view.id, url, isCreated };
}

/** The project's reports (views of type "runs"), in W&B's order; none for a missing project. */
export async function listReports(
  client: WandbClient,
  entity: string,
  project: string,
): Promise<ReportNode[]> {
  return collectPages(async (cursor): Promise<Page<ReportNode>> => {
    const data = await client.graphql<unknown>('ProjectViews', PROJECT_VIEWS, {
      entity,
      project,
      cursor,
      perPage: 100,
      viewType: REPORT_VIEW_TYPE,
    });
    const views = parseData('ProjectViews', viewsSchema, data).project?.allViews;
    if (!views) return { nodes: [], endCursor: null, hasNextPage: false };
    return {
      nodes: views.edges.flatMap((e) =>
        e.node
          ? [
              {
                id: e.node.id,
                name: e.node.name ?? null,
                displayName: e.node.displayName ?? null,
                createdAt: e.node.createdAt,
              },
            ]
          : [],
      ),
      endCursor: views.pageInfo.endCursor ?? null,
      hasNextPage: views.pageInfo.hasNextPage,
    };
  });
}

/**
 * The view's internal name for a new report. wandb-workspaces draws 12 random base-36 characters
 * (internal.py `_generate_name`); one derived from the report's place and title is as unique and makes
 * reruns send the same request.
 */
function reportName(entity: string, project: string, title: string): string {
  return sha256Hex(`${entity}\u0000${project}\u0000${title}`).slice(0, 12);
}
