import { buildDashboardView, type DashboardView } from './model.js';
import { renderDashboardPage } from './render-page.js';
import type { DashboardData } from './types.js';

export type DashboardPages = {
  /** The whole programme: logged on the `overall` run under `dashboard`. */
  readonly overall: string;
  /** One company's page: logged on its run under `company_dashboard`. */
  company(name: string): string;
};

/** The overall page and each company's page of what the runs holding `latest` show. */
export function renderPages(data: DashboardData): DashboardPages {
  const view = buildDashboardView(data);
  return {
    overall: renderDashboardPage(view),
    company: (name) => renderDashboardPage(companyOnly(view, name), `GPU usage of ${name}`),
  };
}

/** The view of one company: its card, its heatmap row, and the alerts that name it or its runs. */
function companyOnly(view: DashboardView, name: string): DashboardView {
  const mine = (text: string) => text.includes(name);
  return {
    ...view,
    outlook: view.outlook?.filter((o) => o.company === name),
    companies: view.companies.filter((c) => c.company === name),
    heatmap: { ...view.heatmap, rows: view.heatmap.rows.filter((r) => r.company === name) },
    duplicateInit: view.duplicateInit.filter((a) => mine(a.text)),
    otherAlerts: view.otherAlerts.filter((a) => mine(a.title) || mine(a.text)),
    runs: view.runs.filter((r) => r.tag === name),
  };
}
