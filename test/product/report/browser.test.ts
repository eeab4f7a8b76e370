import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_DEFAULT_API_KEY } from '../../../src/world/cli/local-server.js';
import { type LocalWandb, startLocalWandb } from '../../../src/world/local-wandb/listen.js';
import { blockKitProblems } from '../../helpers/block-kit-shape.js';
import { fixedClock } from '../../helpers/fakes.js';
import { gql, tempDir } from '../../helpers/local-wandb.js';
import { digestPreviewHtml, reportOutlineHtml } from '../../helpers/report-previews.js';
import { runCliCaptured } from '../../helpers/run-cli.js';
import { type SlackReceiver, startSlackReceiver } from '../../helpers/slack-receiver.js';

// Debian's Chromium (.ci/run installs it); no browser is downloaded. Without it this test fails.
const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
const COMPANIES = ['aurora-ai', 'borealis-lab', 'cirrus-tech', 'delta-works', 'echo-robotics'];
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
/** Where the screenshot goes; docs/dashboard.png is made with DASHBOARD_SCREENSHOT=docs/dashboard.png. */
const screenshotPath = resolve(repoRoot, process.env.DASHBOARD_SCREENSHOT ?? '.tmp/dashboard.png');

let demo: Awaited<ReturnType<typeof runCliCaptured>>;
let server: LocalWandb | undefined;
let slack: SlackReceiver | undefined;
let browser: Browser | undefined;
let page: Page;
const requested: string[] = [];
const consoleErrors: string[] = [];
/** The page's path on the local server, as the demo printed it (W&B's signed link to the run file). */
let pagePath = '';
/** Why the setup failed: every test then fails with it (a failing beforeAll would only skip them). */
let setupError: unknown;

beforeAll(async () => {
  try {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
    const cwd = await tempDir('demo-browser-');
    // 12:00 in Tokyo on 2025-06-15: the demo replays 2025-06-01 … 2025-06-14.
    slack = await startSlackReceiver();
    demo = await runCliCaptured(['demo'], {
      cwd,
      clock: fixedClock('2025-06-15T03:00:00Z'),
      // The demo config names this variable (alerts.slack_webhook_url_env).
      env: { DEMO_SLACK_WEBHOOK_URL: slack.url },
    });
    if (demo.code !== 0) throw new Error(`demo exited ${demo.code}: ${demo.stderr}`);
    // The demo has stopped its server; a restarted one serves the same state, as the demo suggests.
    server = await startLocalWandb({ dataDir: join(cwd, '.demo', 'wandb'), apiKey: LOCAL_DEFAULT_API_KEY });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    page.on('request', (request) => requested.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    pagePath = /and open http:\/\/127\.0\.0\.1:8080(\S+)/.exec(demo.stdout)?.[1] ?? '';
    if (!pagePath.startsWith('/_local/files/'))
      throw new Error(`no page path in the demo's output: ${demo.stdout}`);
    await page.goto(`${server.url}${pagePath}`);
  } catch (error) {
    setupError = error;
  }
}, 180_000);

afterAll(async () => {
  await slack?.close();
  await browser?.close();
  await server?.close();
});

function ready(): void {
  if (setupError) throw setupError;
}

describe('gpu-dashboard demo, then the page it published, opened from the local server in Chromium', () => {
  it('prints a summary line per company for the last day and week, and the check', () => {
    ready();
    expect(demo.stdout).toContain(
      'gpu-dashboard demo: 14 nightly jobs, 2025-06-01 … 2025-06-14 (Asia/Tokyo)',
    );
    expect(demo.stdout).toContain('on 2025-06-14        week from 2025-06-08');
    for (const company of COMPANIES) expect(demo.stdout).toMatch(new RegExp(`^${company} +\\d+ `, 'm'));
    expect(demo.stdout).toContain('gpu-dashboard check --date 2025-06-14');
    expect(demo.stderr.trim().split('\n')).toHaveLength(14);
  });

  it('opens with the allocation outlook: the first section, a row per company, at risk first', async () => {
    ready();
    await expect(page.locator('body > section').first().getAttribute('id')).resolves.toBe('outlook');
    const statuses = await page.locator('#outlook table.outlook tbody tr td:nth-child(2)').allTextContents();
    expect(statuses).toHaveLength(COMPANIES.length);
    const rank = { 'at risk': 0, 'on track': 1, 'not started': 2 } as Record<string, number>;
    expect(statuses.map((s) => rank[s])).toEqual([...statuses.map((s) => rank[s])].sort());
    // Each company's name links its card on the same page.
    for (const href of await page
      .locator('#outlook table.outlook a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      expect(await page.locator(`${href} ~ *`).count(), href ?? '').toBeGreaterThan(0);
    }
  });

  it('shows every company with a daily and a weekly chart that have bars, and a heatmap row', async () => {
    ready();
    for (const company of COMPANIES) {
      const card = page.locator(`article.company[data-company="${company}"]`);
      expect(await card.locator('svg.chart.daily rect.bar').count(), company).toBeGreaterThan(0);
      expect(await card.locator('svg.chart.daily path.alloc').count(), company).toBe(1);
      expect(await card.locator('svg.chart.weekly rect.bar').count(), company).toBeGreaterThan(0);
      expect(
        await page.locator(`#heatmap g.heat-row[data-company="${company}"] rect.cell`).count(),
        company,
      ).toBe(14);
    }
  });

  it('shows the duplicate-init findings the job reported', async () => {
    ready();
    expect(await page.locator('#duplicate-init li.alert').count()).toBeGreaterThan(0);
    await expect(page.locator('#duplicate-init li.alert').first().textContent()).resolves.toContain(
      'Duplicate wandb.init runs found.',
    );
  });

  it('loads nothing but the page itself, and logs no console error', () => {
    ready();
    expect(requested).toEqual([`${server?.url}${pagePath}`]);
    expect(consoleErrors).toEqual([]);
  });

  it('saves a screenshot of the charts', async () => {
    ready();
    await mkdir(dirname(screenshotPath), { recursive: true });
    const png = await page.screenshot({ path: screenshotPath });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect((await stat(screenshotPath)).size).toBeLessThan(400_000);
  });

  it("shows the overall run's daily table with its Japanese headers (a second screenshot)", async () => {
    ready();
    // Opened as a reader would: the overall run, then its daily table.
    const overall = page.locator('#raw details.run').first();
    await overall.locator('summary').first().click();
    const daily = overall.locator('details.table').filter({ hasText: 'daily_gpu_usage' }).first();
    await daily.locator('summary').click();
    const headers = await daily.locator('th').allTextContents();
    expect(headers).toContain('企業名');
    expect(headers).toContain('日付');
    const path = screenshotPath.replace(/\.png$/, '-tables.png');
    const png = await daily.screenshot({ path });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it("received one valid digest per nightly job; pictures of the last one and of the job's W&B Report", async () => {
    ready();
    expect(slack?.posts).toHaveLength(14);
    for (const post of slack?.posts ?? []) expect(blockKitProblems(post)).toEqual([]);
    const last = slack!.posts.at(-1)!;
    for (const company of ['aurora-ai', 'borealis-lab', 'delta-works', 'echo-robotics']) {
      expect(JSON.stringify(last.blocks)).toContain(company);
    }
    const url = /W&B Report +(\S+)/.exec(demo.stdout)?.[1] ?? '';
    const id = url.slice(url.lastIndexOf('--') + 2);
    const res = await gql(
      server!.url,
      'query ($id: ID!) { view(id: $id) { displayName spec } }',
      { id },
      { key: LOCAL_DEFAULT_API_KEY },
    );
    const view = res.body.data?.view as { displayName: string; spec: string };
    expect(view.displayName).toBe('GPU usage dashboard');
    const picture = async (html: string, name: string) => {
      const preview = await browser!.newPage({ viewport: { width: 800, height: 600 } });
      await preview.setContent(html);
      await preview.screenshot({ path: screenshotPath.replace(/dashboard\.png$/, name), fullPage: true });
      await preview.close();
    };
    await picture(digestPreviewHtml(last), 'digest.png');
    await picture(reportOutlineHtml(view.displayName, view.spec), 'report.png');
  });
});
