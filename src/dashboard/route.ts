import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { send } from '../local-wandb/http-util.js';
import { isNotFound } from '../local-wandb/persist.js';
import type { Store } from '../local-wandb/store.js';
import { type DashboardStore, findDashboards, gatherDashboard } from './gather.js';
import { buildDashboardView } from './model.js';
import { PAGE_CSP, renderDashboardPage, renderIndexPage } from './render-page.js';

const DEFAULT_TAG = 'latest';

/**
 * GET `/` or `/dashboard?entity=&project=&tag=latest` on the local server. Without entity and
 * project it shows the one project holding Tables runs, or links to each when there are several.
 * Returns the bytes sent.
 */
export async function serveDashboard(store: Store, requestUrl: string, res: ServerResponse): Promise<number> {
  const query = new URL(requestUrl, 'http://local').searchParams;
  const tag = query.get('tag') || DEFAULT_TAG;
  const source = dashboardStore(store);
  let entity = query.get('entity');
  let project = query.get('project');
  if (!entity || !project) {
    const found = findDashboards(source, tag);
    const only = found.length === 1 ? found[0] : undefined;
    if (!only) return sendHtml(res, renderIndexPage(found));
    ({ entity, project } = only);
  }
  const data = await gatherDashboard(source, { entity, project, tag });
  return sendHtml(res, renderDashboardPage(buildDashboardView(data)));
}

/** The store as the page reads it: runs, alerts and stored file bytes. */
export function dashboardStore(store: Store): DashboardStore {
  return {
    runsOf: store.runsOf,
    alerts: store.alerts,
    entities: store.entities,
    projectsOf: store.projectsOf,
    async readBlob(hex) {
      try {
        return await readFile(store.disk.blobFile(hex), 'utf8');
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
  };
}

function sendHtml(res: ServerResponse, html: string): number {
  return send(res, 200, html, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': PAGE_CSP,
    'Cache-Control': 'no-store',
  });
}
