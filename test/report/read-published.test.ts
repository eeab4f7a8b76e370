import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUPLICATE_INIT_TITLE } from '../../src/alert/duplicate-init.js';
import { calculateTables } from '../../src/calculator/build-tables.js';
import { publishTables } from '../../src/calculator/publish-tables.js';
import { gatherDashboard } from '../../src/dashboard/gather.js';
import { dashboardStore } from '../../src/dashboard/route.js';
import type { DashboardData } from '../../src/dashboard/types.js';
import type { LocalWandb } from '../../src/local-wandb/listen.js';
import { openStore } from '../../src/local-wandb/store.js';
import { systemClock } from '../../src/shared/clock.js';
import type { IsoDate } from '../../src/shared/dates.js';
import { silentLogger } from '../../src/shared/logger.js';
import { createWandbClient } from '../../src/wandb/client.js';
import { sendAlert } from '../../src/wandb/run-writer.js';
import { makeConfig, makeRunDay } from '../builders.js';
import { API_KEY, startTestServer } from '../local-wandb/helpers.js';

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
const page = (server: LocalWandb, path: string) => fetch(`${server.url}${path}`);

let server: Awaited<ReturnType<typeof startTestServer>>;
let gathered: DashboardData;
beforeAll(async () => {
  server = await startTestServer();
  const wandb = createWandbClient({ baseUrl: server.url, apiKey: API_KEY, log: silentLogger });
  const deps = { wandb, log: silentLogger };
  // Two nightly publications: only the second's runs keep `latest`.
  const first = await publishTables(
    calculateTables(rows, config, '2025-01-09' as IsoDate),
    config,
    '2025-01-09' as IsoDate,
    deps,
  );
  const overall = first.find((p) => p.tag === 'overall')!;
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
  );
});
let isClosed = false;
const closeServer = async () => {
  if (!isClosed) await server?.close();
  isClosed = true;
};
afterAll(closeServer);

describe('GET /dashboard on the local server', () => {
  it('serves the page without an API key, as HTML that may load nothing', async () => {
    const res = await page(server, '/dashboard?entity=dash&project=board&tag=latest');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    const html = await res.text();
    expect(html).toContain('tables of <strong>2025-01-10</strong>');
  });

  it("shows each company's last day and week as published (hand-computed)", async () => {
    const html = await (await page(server, '/dashboard?entity=dash&project=board')).text();
    // Jan 10: nothing ran (0 %). Week from Sunday Jan 5: grid days Jan 8–10; alpha 48 of 576 h = 8.3 %,
    // beta 192 of 1152 h = 16.7 %.
    expect(html).toContain(
      '<tr><td>alpha</td><td>2025-01-10</td><td class="num">1</td><td class="num">0.0</td><td class="num">0.0 %</td><td>2025-01-05</td><td class="num">48.0</td><td class="num">8.3 %</td></tr>',
    );
    expect(html).toContain(
      '<tr><td>beta</td><td>2025-01-10</td><td class="num">2</td><td class="num">0.0</td><td class="num">0.0 %</td><td>2025-01-05</td><td class="num">192.0</td><td class="num">16.7 %</td></tr>',
    );
    expect(html).toContain('<title>2025-01-09: 192.0 of 384 GPU h (50.0 %), 2 nodes</title>');
    expect(html).toContain('alpha-team llm host node-9: 2 runs (r3, r4)');
  });

  it('serves the only dashboard of the server at /', async () => {
    const html = await (await page(server, '/')).text();
    expect(html).toContain('<title>GPU usage — dash/board</title>');
  });

  it('lists nothing on a server without Tables runs', async () => {
    const empty = await startTestServer();
    try {
      expect(await (await page(empty, '/')).text()).toContain(
        'No Tables runs are published on this server yet',
      );
    } finally {
      await empty.close();
    }
  });
});

describe('gatherDashboard', () => {
  beforeAll(async () => {
    // Closed first, so the store is read from disk as a restarted server would.
    await closeServer();
    const store = await openStore(server.dataDir, systemClock);
    gathered = await gatherDashboard(dashboardStore(store), {
      entity: 'dash',
      project: 'board',
      tag: 'latest',
    });
    await store.close();
  });

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
      'company_weekly_gpu_usage',
      'company_weekly_gpu_usage_within_4weeks',
    ]);
    expect(alpha?.unreadable).toEqual([]);
  });

  it('keeps the alerts of the project with the date of the Tables run they came from', () => {
    expect(gathered.alerts.map(({ time: _t, ...a }) => a)).toEqual([
      {
        title: DUPLICATE_INIT_TITLE,
        text: 'alpha-team llm host node-9: 2 runs (r3, r4)',
        severity: 'WARN',
        target: '2025-01-09',
      },
    ]);
  });
});
