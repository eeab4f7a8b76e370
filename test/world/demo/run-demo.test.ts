import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../../src/product/checker/types.js';
import { type DemoCheckInput, type DemoResult, runDemo } from '../../../src/world/demo/run-demo.js';
import { fixedClock } from '../../helpers/fakes.js';
import { API_KEY, tempDir } from '../../helpers/local-wandb.js';

const configPath = fileURLToPath(new URL('../../../demo/config.yaml', import.meta.url));
// 12:00 in Tokyo on 2025-06-15: the demo's last day is 2025-06-14.
const clock = fixedClock('2025-06-15T03:00:00Z');

/** What the stand-in check step reports. */
const twoFindings = {
  target_date: '2025-06-14',
  checked_at: '2025-06-15T09:00:00.000000',
  healthy: false,
  checks: { dashboard: 'ok', job_log: 'ok', anomalies: 'findings', duplicate_init: 'findings' },
  findings: [
    { check: 'anomalies', kind: 'no_rows', subject: 'alpha', message: 'one' },
    { check: 'duplicate_init', kind: 'duplicate_init', subject: 'alpha-team', message: 'two' },
  ],
  alert: { wandb: true, slack: undefined },
} as unknown as CheckReport;

async function demo(dir: string, days: number, checks: DemoCheckInput[] = [], lines: string[] = []) {
  let id = 0;
  return runDemo(
    {
      dir,
      configText: await readFile(configPath, 'utf8'),
      configSource: configPath,
      seed: 1,
      apiKey: API_KEY,
      days,
    },
    {
      clock,
      randomId: () => `demo${String(++id).padStart(4, '0')}`,
      onJob: (line) => lines.push(line),
      check: async (input) => {
        checks.push(input);
        return { report: twoFindings, text: 'two findings\n' };
      },
    },
  );
}

let dir: string;

describe('runDemo over the last 3 days', () => {
  let result: DemoResult;
  const checks: DemoCheckInput[] = [];
  const lines: string[] = [];
  let configBytes: Buffer;
  let packageVersion: string;
  beforeAll(async () => {
    configBytes = await readFile(configPath);
    packageVersion = (
      JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
        version: string;
      }
    ).version;
    dir = await tempDir('run-demo-');
    result = await demo(dir, 3, checks, lines);
  }, 120_000);
  afterAll(async () => result?.server.close());

  it('runs one nightly job per day, in order, each building on the dataset the previous one wrote', () => {
    expect([result.start, result.end, result.week]).toEqual(['2025-06-12', '2025-06-14', '2025-06-08']);
    expect(result.jobs.map((j) => [j.target_date, j.start_date, j.dataset.version])).toEqual([
      ['2025-06-12', '2025-06-12', 0],
      ['2025-06-13', '2025-06-13', 1],
      ['2025-06-14', '2025-06-14', 2],
    ]);
    expect(lines.map((l) => l.slice(0, 10))).toEqual(['2025-06-12', '2025-06-13', '2025-06-14']);
  });

  it('logs each job as the cron would run it, at 06:00 in Tokyo the next morning, ending with pipeline.completed', async () => {
    const events = (await readFile(join(dir, 'job-log.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { time: string; event: string; target_date?: string });
    const completed = events.filter((e) => e.event === 'pipeline.completed');
    expect(completed.map((e) => [e.time, e.target_date])).toEqual([
      ['2025-06-12T21:00:00.000Z', '2025-06-12'],
      ['2025-06-13T21:00:00.000Z', '2025-06-13'],
      ['2025-06-14T21:00:00.000Z', '2025-06-14'],
    ]);
    expect(events.at(-1)?.event).toBe('pipeline.completed');
  });

  it('then runs the check once, for the last day, at 09:00 in Tokyo, with the job log', () => {
    expect(checks).toHaveLength(1);
    expect(checks[0]?.date).toBe('2025-06-14');
    expect(checks[0]?.clock.now().toISOString()).toBe('2025-06-15T00:00:00.000Z');
    expect(checks[0]?.jobLogPath).toBe(join(dir, 'job-log.jsonl'));
    expect(checks[0]?.provenance).toEqual({
      productVersion: packageVersion,
      configSha256: createHash('sha256').update(configBytes).digest('hex'),
    });
    expect(result.check).toEqual({ report: twoFindings, text: 'two findings\n' });
  });

  it("summarises every company's last day and week; cirrus-tech's allocation ended on 2025-06-11", () => {
    expect(result.usage.map((u) => [u.company, u.nodes, u.day === undefined])).toEqual([
      ['aurora-ai', 6, false],
      ['borealis-lab', 8, false],
      ['cirrus-tech', 0, true],
      ['delta-works', 2, false],
      ['echo-robotics', 5, false],
    ]);
    // The week from Sunday June 8 holds cirrus-tech's last grid days, June 8–10.
    expect(result.usage[2]?.week).toBeDefined();
  });

  it('writes the last tables, the fleet and the config it used into the demo folder', async () => {
    expect((await readdir(join(dir, 'out'))).sort()).toEqual([
      'allocation_outlook.csv',
      'daily.csv',
      'dashboard.html',
      'dataset.csv',
      'monthly.csv',
      'overall.csv',
      'summary.csv',
      'user_usage.csv',
      'weekly.csv',
    ]);
    const config = await readFile(join(dir, 'config.yaml'), 'utf8');
    expect(config).toContain('date: 2025-06-08');
    expect(result.fleet.runs).toBeGreaterThan(0);
  });

  it("leaves the server up, serving the last day's page as the overall run's media", async () => {
    const res = await fetch(`${result.server.url}${result.page.path}`);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).toContain('tables of <strong>2025-06-14</strong>');
    expect(await readFile(join(dir, 'out', 'dashboard.html'), 'utf8')).toBe(html);
  });
});

describe('runDemo again in the same folder', () => {
  it('starts from an empty server: the first job writes dataset version 0 again', async () => {
    const again = await demo(dir, 1);
    await again.server.close();
    expect(again.jobs.map((j) => j.dataset.version)).toEqual([0]);
  }, 120_000);
});
