// The nightly job logs the dashboard page as W&B HTML media on its Tables runs, and `report` renders
// the same page from what is published, through the W&B API.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWandbClient } from '../../src/product/wandb/client.js';
import { downloadRunFile, runFileLinks } from '../../src/product/wandb/run-files.js';
import { listRunsByTag } from '../../src/product/wandb/run-writer.js';
import type { LocalWandb } from '../../src/world/local-wandb/listen.js';
import { CANARY, makeJobWorld, runWorldJob } from '../helpers/job-world.js';
import { runCliCaptured } from '../helpers/run-cli.js';

let server: LocalWandb;
let dir: string;
beforeAll(async () => {
  ({ dir, server } = await makeJobWorld('run-page'));
  const result = await runWorldJob(dir, server.url, 'out');
  expect(result.code, result.stderr).toBe(0);
}, 60_000);
afterAll(() => server?.close());

/** The page a run holding `latest` logged under `key`, downloaded as W&B serves run files. */
async function loggedPage(tag: string, key: string): Promise<string> {
  const wandb = createWandbClient({ baseUrl: server.url, apiKey: CANARY });
  const run = (await listRunsByTag(wandb, 'dash', 'board', 'latest')).find((r) => r.tags.includes(tag))!;
  const ref = (run.summaryMetrics as Record<string, { _type: string; path: string }>)[key]!;
  expect(ref._type).toBe('html-file');
  const [link] = await runFileLinks(wandb, { entity: 'dash', project: 'board', run: run.name }, [ref.path]);
  return (await downloadRunFile(wandb, link!)).toString('utf8');
}

/** The overview row of a company: day, nodes, GPU hours and utilisation on T, and its week's. */
const overviewRow = (company: string, day: string[], week: string[]) =>
  `<tr><td>${company}</td><td>${day[1]}</td><td class="num">${day[9]}</td><td class="num">${day[2]}</td><td class="num">${day[3]} %</td><td>${week[1]}</td><td class="num">${week[2]}</td><td class="num">${week[3]} %</td></tr>`;

describe('the dashboard page of a nightly job', () => {
  it("logs the programme page on the overall run with the figures of the job's tables", async () => {
    const html = await loggedPage('overall', 'dashboard');
    const [, today] = (await readFile(join(dir, 'out', 'daily.csv'), 'utf8')).trim().split('\n');
    const [, week] = (await readFile(join(dir, 'out', 'weekly.csv'), 'utf8')).trim().split('\n');
    // daily.csv: company, date, GPU h, utilisation, …, nodes (10th column); weekly.csv likewise.
    expect(html).toContain(overviewRow('alpha', today!.split(','), week!.split(',')));
    expect(html).toContain('tables of <strong>2025-01-09</strong>');
    // The job's duplicate-init alert for node-9 is on the page.
    expect(html).toMatch(/node-9/);
    // Self-contained: no script, nothing loaded from elsewhere.
    expect(html).not.toMatch(/<script|<link|@import|src="http/i);
  });

  it("logs alpha's own page on its run", async () => {
    const html = await loggedPage('alpha', 'company_dashboard');
    expect(html).toContain('<h1>GPU usage of alpha</h1>');
    expect(html).toContain('data-company="alpha"');
  });

  it('`report` writes the same overview from what is published, through the W&B API', async () => {
    const result = await runCliCaptured(['report', '--config', 'config.yaml', '--out', 'page.html'], {
      cwd: dir,
      env: { WANDB_BASE_URL: server.url, WANDB_API_KEY: CANARY },
    });
    expect(result.code, result.stderr).toBe(0);
    const page = await readFile(join(dir, 'page.html'), 'utf8');
    const [, today] = (await readFile(join(dir, 'out', 'daily.csv'), 'utf8')).trim().split('\n');
    const [, week] = (await readFile(join(dir, 'out', 'weekly.csv'), 'utf8')).trim().split('\n');
    expect(page).toContain(overviewRow('alpha', today!.split(','), week!.split(',')));
    expect(page).not.toContain(CANARY);
  });

  it('`report --date` for a date with nothing published exits 1 naming it', async () => {
    const result = await runCliCaptured(
      ['report', '--config', 'config.yaml', '--date', '2025-01-02', '--out', 'x.html'],
      {
        cwd: dir,
        env: { WANDB_BASE_URL: server.url, WANDB_API_KEY: CANARY },
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('dash/board has no runs named Tables_2025-01-02');
  });
});
