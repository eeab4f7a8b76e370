import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUPLICATE_INIT_TITLE } from '../../../src/product/alert/duplicate-init.js';
import { calculateTables } from '../../../src/product/calculator/build-tables.js';
import { readPublishedDashboard } from '../../../src/product/publish/read-published.js';
import { publishTables } from '../../../src/product/publish/tables.js';
import { dashboardFromTables } from '../../../src/product/report/from-tables.js';
import { renderPages } from '../../../src/product/report/pages.js';
import type { DashboardData } from '../../../src/product/report/types.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import { silentLogger } from '../../../src/product/shared/logger.js';
import { provenanceFields } from '../../../src/product/shared/provenance.js';
import { createWandbClient } from '../../../src/product/wandb/client.js';
import { downloadRunFile, runFileLinks } from '../../../src/product/wandb/run-files.js';
import { listRunsByTag, sendAlert } from '../../../src/product/wandb/run-writer.js';
import { makeConfig, makeRunDay } from '../../helpers/builders.js';
import { testProvenance } from '../../helpers/fakes.js';
import { API_KEY, startTestServer } from '../../helpers/local-wandb.js';

// alpha: 1 node (192 GPU h a day) from Jan 8; on Jan 9 one run, 6 h × 8 GPUs = 48 GPU h (25 %).
// beta: 2 nodes (384 GPU h) from Jan 8; on Jan 9 one run, 12 h × 16 GPUs = 192 GPU h (50 %).
const config = makeConfig({
  companies: [
    { company: 'alpha', teams: ['alpha-team'], schedule: [{ date: '2025-01-08', assigned_gpu_node: 1 }] },
    { company: 'beta', teams: ['beta-team'], schedule: [{ date: '2025-01-08', assigned_gpu_node: 2 }] },
  ],
  dashboard: { entity: 'dash', project: 'board' },
});
const rows = [
  makeRunDay({
    date: '2025-01-09',
    company_name: 'alpha-team',
    duration_hour: 6,
    average_gpu_utilization: 60,
  }),
  makeRunDay({ date: '2025-01-09', company_name: 'beta-team', duration_hour: 12, gpu_count: 16 }),
];

let server: Awaited<ReturnType<typeof startTestServer>>;
let gathered: DashboardData;
const wandbOf = () => createWandbClient({ baseUrl: server.url, apiKey: API_KEY, log: silentLogger });
// The pages as the job renders them: from the tables in hand, with this publication's run ids.
const pages = {
  pages: (result: Parameters<typeof dashboardFromTables>[0]['result'], runIdOf: (tag: string) => string) =>
    renderPages(
      dashboardFromTables({ result, config, runIdOf, alerts: [], loggedAt: '2025-01-11T00:00:00.000000' }),
    ),
};
const provenance = provenanceFields(
  testProvenance,
  { start: '2025-01-09' as IsoDate, end: '2025-01-10' as IsoDate },
  null,
);
beforeAll(async () => {
  server = await startTestServer();
  const wandb = wandbOf();
  const deps = { wandb, log: silentLogger };
  // Two nightly publications: only the second's runs keep `latest`.
  const first = await publishTables(
    calculateTables(rows, config, '2025-01-09' as IsoDate),
    config,
    '2025-01-09' as IsoDate,
    deps,
    { ...pages, provenance },
  );
  const overall = first.runs.find((p) => p.tag === 'overall')!;
  await sendAlert(
    wandb,
    { entity: 'dash', project: 'board', run: overall.runId },
    { title: DUPLICATE_INIT_TITLE, text: 'alpha-team llm host node-9: 2 runs (r3, r4)', severity: 'WARN' },
  );
  await publishTables(
    calculateTables(rows, config, '2025-01-10' as IsoDate),
    config,
    '2025-01-10' as IsoDate,
    deps,
    { ...pages, provenance },
  );
  gathered = await readPublishedDashboard(wandb, { entity: 'dash', project: 'board', tag: 'latest' });
});
afterAll(() => server?.close());

/** The `dashboard` (or `company_dashboard`) page a run holding `latest` logged, as W&B serves the file. */
async function loggedPage(tag: string, key: string): Promise<{ ref: Record<string, unknown>; html: string }> {
  const wandb = wandbOf();
  const run = (await listRunsByTag(wandb, 'dash', 'board', 'latest')).find((r) => r.tags.includes(tag))!;
  const ref = (run.summaryMetrics as Record<string, Record<string, unknown>>)[key]!;
  const [link] = await runFileLinks(wandb, { entity: 'dash', project: 'board', run: run.name }, [
    String(ref.path),
  ]);
  return { ref, html: (await downloadRunFile(wandb, link!)).toString('utf8') };
}

describe('the pages logged as W&B HTML media', () => {
  it('puts the programme page on the overall run under `dashboard`, as wandb.Html logs it', async () => {
    const { ref, html } = await loggedPage('overall', 'dashboard');
    expect(ref).toMatchObject({ _type: 'html-file', size: Buffer.byteLength(html) });
    expect(String(ref.path)).toMatch(/^media\/html\/dashboard_0_[0-9a-f]{20}\.html$/);
    expect(html).toContain('tables of <strong>2025-01-10</strong>');
    // Jan 10: nothing ran (0 %). Week from Sunday Jan 5: grid days Jan 8–10; alpha 48 of 576 h = 8.3 %,
    // beta 192 of 1152 h = 16.7 %.
    expect(html).toContain(
      '<tr><td>alpha</td><td>2025-01-10</td><td class="num">1</td><td class="num">0.0</td><td class="num">0.0 %</td><td>2025-01-05</td><td class="num">48.0</td><td class="num">8.3 %</td></tr>',
    );
    expect(html).toContain(
      '<tr><td>beta</td><td>2025-01-10</td><td class="num">2</td><td class="num">0.0</td><td class="num">0.0 %</td><td>2025-01-05</td><td class="num">192.0</td><td class="num">16.7 %</td></tr>',
    );
    expect(html).toContain('<title>2025-01-09: 192.0 of 384 GPU h (50.0 %), 2 nodes</title>');
  });

  it("puts each company's own page on its run under `company_dashboard`", async () => {
    const { ref, html } = await loggedPage('alpha', 'company_dashboard');
    expect(String(ref.path)).toMatch(/^media\/html\/company_dashboard_0_[0-9a-f]{20}\.html$/);
    expect(html).toContain('<h1>GPU usage of alpha</h1>');
    expect(html).toContain('data-company="alpha"');
    expect(html).not.toContain('data-company="beta"');
  });
});

describe('readPublishedDashboard', () => {
  it('reads only the runs holding the tag: the second publication', () => {
    expect(gathered.runs.map((r) => [r.tag, r.displayName, r.target]).sort()).toEqual([
      ['alpha', 'Tables_2025-01-10', '2025-01-10'],
      ['beta', 'Tables_2025-01-10', '2025-01-10'],
      ['overall', 'Tables_2025-01-10', '2025-01-10'],
    ]);
  });

  it("reads each run's Tables from the files its summary references, exactly as published", () => {
    const published = calculateTables(rows, config, '2025-01-10' as IsoDate).tables;
    const overall = gathered.runs.find((r) => r.tag === 'overall');
    expect(Object.keys(overall?.tables ?? {})).toEqual([
      'overall_gpu_usage',
      'monthly_gpu_usage',
      'weekly_gpu_usage',
      'daily_gpu_usage',
      'allocation_outlook',
    ]);
    expect(overall?.tables.daily_gpu_usage).toEqual({
      columns: published.daily.columns.map((c) => c.label),
      rows: published.daily.rows,
    });
    const alpha = gathered.runs.find((r) => r.tag === 'alpha');
    expect(Object.keys(alpha?.tables ?? {}).sort()).toEqual([
      'company_daily_gpu_usage',
      'company_daily_gpu_usage_within_30days',
      'company_summary',
      'company_user_usage',
      'company_weekly_gpu_usage',
      'company_weekly_gpu_usage_within_4weeks',
    ]);
    expect(alpha?.unreadable).toEqual([]);
  });

  it("reads no alerts: W&B's public API has no query for them", () => {
    expect(gathered.alerts).toEqual([]);
  });
});
