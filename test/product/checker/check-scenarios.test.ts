// `check` scenarios (docs/behaviour.md §8): the healthy world and one world per finding kind, each against the
// local W&B server, moto_server's CloudWatch Logs and a local Slack receiver; each asserts exactly
// the findings it should produce.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudWatchLogSource } from '../../../src/product/checker/cloudwatch-log.js';
import { HEALTH_CHECK_TITLE, runCheck } from '../../../src/product/checker/run-check.js';
import type { CheckReport } from '../../../src/product/checker/types.js';
import { loadConfig } from '../../../src/product/config/load.js';
import { silentLogger } from '../../../src/product/shared/logger.js';
import { createWandbClient, type WandbClient } from '../../../src/product/wandb/client.js';
import { createRun, listRunsByTag, setRunTags } from '../../../src/product/wandb/run-writer.js';
import { blockKitProblems } from '../../helpers/block-kit-shape.js';
import {
  buildWorld,
  copyState,
  dayRun,
  healthyRows,
  type World,
  worldConfig,
  worldDates,
} from '../../helpers/check-world.js';
import { fixedClock, testProvenance } from '../../helpers/fakes.js';
import { API_KEY, basicAuth, startTestServer, tempDir } from '../../helpers/local-wandb.js';
import { type Moto, startMoto } from '../../helpers/moto.js';
import { runCliCaptured } from '../../helpers/run-cli.js';
import { type SlackPost, type SlackReceiver, startSlackReceiver } from '../../helpers/slack-receiver.js';

const HOUR = 3600_000;
const dates = worldDates();
const { T } = dates;

let moto: Moto;
let slack: SlackReceiver;
let healthy: World;
let groupSeq = 0;

beforeAll(async () => {
  [moto, slack, healthy] = await Promise.all([
    startMoto(),
    startSlackReceiver(),
    buildWorld(healthyRows(dates), dates),
  ]);
}, 120_000);
afterAll(async () => {
  await Promise.all([moto?.stop(), slack?.close()]);
});

type ScenarioOptions = {
  /** Changes the W&B state after the jobs ran. */
  perturb?: (wandb: WandbClient) => Promise<void>;
  /** The job's log in CloudWatch; null: the log group does not exist. */
  log?: readonly { timestamp: number; message: string }[] | null;
};

type ScenarioResult = {
  code: number;
  report: CheckReport;
  fileReport: CheckReport;
  healthAlerts: { title: string; text: string; severity: string; waitDuration: number | null }[];
  slackPosts: SlackPost[];
};

async function runScenario(world: World, options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const server = await startTestServer({ dataDir: await copyState(world) });
  try {
    if (options.perturb) await options.perturb(createWandbClient({ baseUrl: server.url, apiKey: API_KEY }));
    const group = `/ecs/check-scenario-${++groupSeq}`;
    const log = options.log === undefined ? world.jobLog : options.log;
    if (log !== null) await moto.putLog(group, [...log]);
    const dir = await tempDir('check-run-');
    await writeFile(join(dir, 'config.yaml'), worldConfig(world.dates, group));
    slack.posts.length = 0;
    const result = await runCliCaptured(['check', '--config', 'config.yaml', '--json', '--out', 'out'], {
      cwd: dir,
      env: { ...moto.env, WANDB_BASE_URL: server.url, WANDB_API_KEY: API_KEY, SLACK_WEBHOOK_URL: slack.url },
      clock: fixedClock(new Date(world.dates.now)),
    });
    const alerts = (await (
      await fetch(`${server.url}/_local/alerts`, { headers: { Authorization: basicAuth() } })
    ).json()) as ScenarioResult['healthAlerts'];
    return {
      code: result.code,
      report: JSON.parse(result.stdout) as CheckReport,
      fileReport: JSON.parse(await readFile(join(dir, 'out', 'check-report.json'), 'utf8')) as CheckReport,
      healthAlerts: alerts.filter((a) => a.title === HEALTH_CHECK_TITLE),
      slackPosts: [...slack.posts],
    };
  } finally {
    await server.close();
  }
}

/** check/kind/subject of every finding, in report order. */
const kinds = (report: CheckReport) => report.findings.map((f) => `${f.check}/${f.kind}/${f.subject ?? ''}`);

async function latestRunOf(wandb: WandbClient, tag: string) {
  const runs = (await listRunsByTag(wandb, 'dash', 'board', 'latest')).filter((r) => r.tags.includes(tag));
  expect(runs).toHaveLength(1);
  return runs[0]!;
}

describe('check on a healthy dashboard', () => {
  it('finds nothing, exits 0 and sends no alert', async () => {
    const { code, report, fileReport, healthAlerts, slackPosts } = await runScenario(healthy);
    expect(kinds(report)).toEqual([]);
    expect(code).toBe(0);
    expect(report).toMatchObject({
      target_date: T,
      healthy: true,
      checks: { dashboard: 'ok', job_log: 'ok', anomalies: 'ok', duplicate_init: 'ok' },
    });
    expect(fileReport).toEqual(report);
    expect(healthAlerts).toEqual([]);
    expect(slackPosts).toEqual([]);
  });
});

describe('dashboard findings', () => {
  it('a company without a latest run is missing; one alert with it goes to W&B and Slack', async () => {
    const { code, report, healthAlerts, slackPosts } = await runScenario(healthy, {
      perturb: async (wandb) => {
        const beta = await latestRunOf(wandb, 'beta');
        await setRunTags(wandb, beta.id, ['beta']);
      },
    });
    expect(kinds(report)).toEqual(['dashboard/missing/beta']);
    expect(code).toBe(1);
    expect(healthAlerts).toHaveLength(1);
    expect(healthAlerts[0]).toMatchObject({ title: 'Dashboard health check', waitDuration: 60_000 });
    expect(healthAlerts[0]!.text).toContain('beta: no latest run');
    expect(slackPosts).toHaveLength(1);
    // Slack gets the findings as one Block Kit message; W&B keeps the plain-text alert.
    expect(blockKitProblems(slackPosts[0])).toEqual([]);
    expect(slackPosts[0]!.text).toBe(`${HEALTH_CHECK_TITLE} for ${T}: 1 finding`);
    expect(slackPosts[0]!.blocks).toContainEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: ':warning: *dashboard* · findings (1)\n• beta: no latest run',
        verbatim: true,
      },
    });
    expect(report.alert).toEqual({ wandb: true, slack: true });
  });

  it('a second latest run for a company is doubled', async () => {
    const { report } = await runScenario(healthy, {
      perturb: async (wandb) => {
        await createRun(wandb, {
          entity: 'dash',
          project: 'board',
          runId: 'twin0001',
          displayName: `Tables_${T}`,
          tags: ['alpha', 'latest'],
        });
      },
    });
    expect(kinds(report)).toEqual(['dashboard/doubled/alpha']);
    expect(report.findings[0]!.message).toContain('twin0001');
  });

  it('a latest run for a tag no company with nodes on T has is extra', async () => {
    const { report } = await runScenario(healthy, {
      perturb: async (wandb) => {
        await createRun(wandb, {
          entity: 'dash',
          project: 'board',
          runId: 'ghost001',
          displayName: `Tables_${T}`,
          tags: ['ghost', 'latest'],
        });
      },
    });
    expect(kinds(report)).toEqual(['dashboard/extra/ghost']);
  });

  it('a latest run without exactly one other tag is reported', async () => {
    const { report } = await runScenario(healthy, {
      perturb: async (wandb) => {
        await createRun(wandb, {
          entity: 'dash',
          project: 'board',
          runId: 'bare0001',
          displayName: `Tables_${T}`,
          tags: ['latest'],
        });
      },
    });
    expect(kinds(report)).toEqual(['dashboard/tags/']);
    expect(report.findings[0]!.message).toContain('bare0001');
  });

  it('a latest run not named ..._<T> is stale', async () => {
    const { report } = await runScenario(healthy, {
      perturb: async (wandb) => {
        const alpha = await latestRunOf(wandb, 'alpha');
        await createRun(wandb, {
          entity: 'dash',
          project: 'board',
          runId: alpha.name,
          displayName: `Tables_${dates.day(-1)}`,
          tags: ['alpha', 'latest'],
        });
      },
    });
    expect(kinds(report)).toEqual(['dashboard/stale/alpha']);
  });
});

describe('job log findings', () => {
  it('no pipeline.completed for T in the last 36 hours', async () => {
    const withoutToday = healthy.jobLog.filter(
      (e) => !(e.message.includes('"pipeline.completed"') && e.message.includes(`"target_date":"${T}"`)),
    );
    expect(withoutToday.length).toBe(healthy.jobLog.length - 1);
    const { report } = await runScenario(healthy, { log: withoutToday });
    expect(kinds(report)).toEqual(['job_log/no_completion/']);
  });

  it('counts the error events since the previous completion (not the older one)', async () => {
    const log = [
      ...healthy.jobLog,
      {
        timestamp: dates.now - 10 * HOUR,
        message: JSON.stringify({ level: 'error', event: 'pipeline.failed' }),
      },
      {
        timestamp: dates.now - 9 * HOUR,
        message: JSON.stringify({ level: 'error', event: 'pipeline.failed' }),
      },
      // Mentions "error" but is not an error event.
      {
        timestamp: dates.now - 8 * HOUR,
        message: JSON.stringify({ level: 'warn', event: 'alert.slack_failed', error: 'x' }),
      },
    ];
    const { report } = await runScenario(healthy, { log });
    expect(kinds(report)).toEqual(['job_log/errors/']);
    expect(report.findings[0]!.details).toMatchObject({ count: 2 });
  });

  it('an unreadable log group is reported and exits 3; the other checks still run', async () => {
    const { report, code } = await runScenario(healthy, { log: null });
    expect(kinds(report)).toEqual(['job_log/unreachable/']);
    expect(report.findings[0]!.message).toMatch(/check-scenario-\d+/);
    expect(report.checks).toEqual({
      dashboard: 'ok',
      job_log: 'unreachable',
      anomalies: 'ok',
      duplicate_init: 'ok',
    });
    // The check could not look at the job's log: 3, not the 1 of findings (docs/behaviour.md §8).
    expect(code).toBe(3);
  });
});

describe('W&B unreachable', () => {
  it('is a finding for each check that reads W&B; the job log is still read and Slack still alerted', async () => {
    const group = `/ecs/check-scenario-${++groupSeq}`;
    await moto.putLog(group, [...healthy.jobLog]);
    const dir = await tempDir('check-run-');
    await writeFile(join(dir, 'config.yaml'), worldConfig(dates, group));
    const config = await loadConfig(join(dir, 'config.yaml'));
    // Port 9 (discard) refuses connections here; one quick retry keeps the test short.
    const wandb = createWandbClient({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: API_KEY,
      maxRetries: 1,
      sleep: async () => {},
    });
    slack.posts.length = 0;
    const jobLog = cloudWatchLogSource({ logGroup: group, region: 'ap-northeast-1', env: moto.env });
    const report = await runCheck(
      config,
      { date: T, slackWebhookUrl: slack.url, provenance: testProvenance },
      { wandb, jobLog, clock: fixedClock(new Date(dates.now)), log: silentLogger },
    );
    jobLog.close();
    expect(kinds(report)).toEqual([
      'dashboard/unreachable/',
      'anomalies/unreachable/',
      'duplicate_init/unreachable/',
    ]);
    expect(report.findings[0]!.message).toContain('dash/board');
    expect(report.findings[1]!.message).toContain('dash/board/all_runs_data:latest');
    expect(report.checks.job_log).toBe('ok');
    expect(report.alert).toEqual({ wandb: false, slack: true });
    expect(slack.posts).toHaveLength(1);
  });
});

// Each of these builds its own world (two jobs): generous time for a loaded 2-core machine.
describe('anomaly findings', { timeout: 90_000 }, () => {
  const rowsWith = (change: (rows: ReturnType<typeof healthyRows>) => ReturnType<typeof healthyRows>) =>
    change(healthyRows(dates));
  const isToday = (team: string) => (r: { company_name: string; date: string }) =>
    r.company_name === team && r.date === T;

  it('utilisation below the threshold (steadily low, so no drop)', async () => {
    // alpha: 1 h × 8 GPUs = 8 of 192 GPU hours every day → 4.2 % < 10 %; T equals its median.
    const rows = rowsWith((rs) =>
      rs.map((r) =>
        r.company_name === 'alpha-team' ? dayRun('alpha-team', r.date, r.run_id, { hours: 1 }) : r,
      ),
    );
    const { report } = await runScenario(await buildWorld(rows, dates));
    expect(kinds(report)).toEqual(['anomalies/low_utilization/alpha']);
    expect(report.findings[0]!.message).toContain('4.2%');
  });

  it('usage above the allocation', async () => {
    // alpha on T: 20 h × 16 GPUs = 320 GPU hours > 192 allocated (utilisation shows the capped 100 %).
    const rows = rowsWith((rs) => [
      ...rs.filter((r) => !isToday('alpha-team')(r)),
      dayRun('alpha-team', T, 'a0', { hours: 20, gpus: 16, startHour: 2 }),
    ]);
    const { report } = await runScenario(await buildWorld(rows, dates));
    // The 16-GPU run itself is over alpha's 8 allocated GPUs too.
    expect(kinds(report)).toEqual(['anomalies/over_allocation/alpha', 'anomalies/run_over_allocation/alpha']);
    expect(report.findings[0]!.details).toEqual({ total_gpu_hour: 320, assigned_gpu_hour: 192 });
    expect(report.findings[1]!.details).toEqual({ runs: ['train/a0'], allocated_gpus: 8 });
  });

  it('an active company with no rows on T', async () => {
    const rows = rowsWith((rs) => rs.filter((r) => !isToday('beta-team')(r)));
    const { report } = await runScenario(await buildWorld(rows, dates));
    expect(kinds(report)).toEqual(['anomalies/no_rows/beta']);
  });

  it('runs without metrics on T (not one with metrics that crosses into T by seconds)', async () => {
    const crossing = { ...dayRun('alpha-team', dates.day(-1), 'a-cross', { host: 'alpha-team-node-3' }) };
    const times = { created_at: `${dates.day(-1)}T20:00:00.000000`, updated_at: `${T}T00:00:30.000000` };
    const rows = rowsWith((rs) => [
      ...rs,
      dayRun('alpha-team', T, 'a0-nometrics', { hours: 2, util: null, host: 'alpha-team-node-2' }),
      { ...crossing, ...times, duration_hour: 4 },
      {
        ...dayRun('alpha-team', T, 'a-cross', { host: 'alpha-team-node-3', util: null }),
        ...times,
        duration_hour: 30 / 3600,
      },
    ]);
    const { report } = await runScenario(await buildWorld(rows, dates));
    expect(kinds(report)).toEqual(['anomalies/no_metrics/alpha']);
    expect(report.findings[0]!.details).toEqual({ runs: ['train/a0-nometrics'] });
  });

  it('utilisation under half the trailing 7-day median', async () => {
    // alpha on T: 4 h × 8 = 32 of 192 GPU hours = 16.7 % (above 10 %), under half of the 50 % median.
    const rows = rowsWith((rs) => [
      ...rs.filter((r) => !isToday('alpha-team')(r)),
      dayRun('alpha-team', T, 'a0', { hours: 4 }),
    ]);
    const { report } = await runScenario(await buildWorld(rows, dates));
    expect(kinds(report)).toEqual(['anomalies/utilization_drop/alpha']);
    expect(report.findings[0]!.details).toEqual({ utilization: 16.7, median: 50, days: 7 });
  });
});

describe('duplicate-init findings', { timeout: 90_000 }, () => {
  it('overlapping runs of one team on one host in the last 7 days, not older ones', async () => {
    const node9 = { hours: 2, host: 'alpha-team-node-9' };
    const rows = [
      ...healthyRows(dates),
      // T-2: 08:00–10:00 and 09:00–11:00 on node-9 overlap 09:00–10:00.
      dayRun('alpha-team', dates.day(-2), 'dup-1', { ...node9, startHour: 8 }),
      dayRun('alpha-team', dates.day(-2), 'dup-2', { ...node9, startHour: 9 }),
      // T-8: outside the 7 days T-6..T.
      dayRun('alpha-team', dates.day(-8), 'old-1', { ...node9, startHour: 8 }),
      dayRun('alpha-team', dates.day(-8), 'old-2', { ...node9, startHour: 9 }),
    ];
    const { report } = await runScenario(await buildWorld(rows, dates));
    expect(kinds(report)).toEqual(['duplicate_init/duplicate_init/alpha-team']);
    expect(report.findings[0]!.details).toEqual({
      team: 'alpha-team',
      projects: ['train'],
      host: 'alpha-team-node-9',
      runs: ['dup-1', 'dup-2'],
      overlap_start: `${dates.day(-2)}T09:00:00`,
      overlap_end: `${dates.day(-2)}T10:00:00`,
    });
  });
});
