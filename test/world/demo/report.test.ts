import { describe, expect, it } from 'vitest';
import type { JobReport } from '../../../src/product/job/run-job.js';
import { formatDemoReport } from '../../../src/world/demo/report.js';
import type { DemoResult } from '../../../src/world/demo/run-demo.js';
import { demoPaths } from '../../../src/world/demo/state-dir.js';
import { makeConfig } from '../../helpers/builders.js';

const result = (check: DemoResult['check']): DemoResult => ({
  server: { url: 'http://127.0.0.1:4321', port: 4321, close: async () => {}, stats: () => ({}) as never },
  config: makeConfig({
    dashboard: { entity: 'demo org', project: 'board' },
    companies: [
      { company: 'alpha', teams: ['alpha-team'], schedule: [{ date: '2025-06-01', assigned_gpu_node: 1 }] },
    ],
  }),
  paths: demoPaths('/work/.demo'),
  start: '2025-06-01' as never,
  end: '2025-06-14' as never,
  week: '2025-06-08' as never,
  shiftDays: 134,
  fleet: { runs: 360, duplicateGroups: 9 },
  jobs: [
    {
      dataset: { version: 13 },
      report: {
        id: 'Vmlldzox',
        url: 'http://127.0.0.1:4321/demo%20org/board/reports/GPU-usage-dashboard--Vmlldzox',
      },
    } as JobReport,
  ],
  usage: [
    {
      company: 'alpha',
      nodes: 1,
      day: { gpuHours: 96, utilization: 50 },
      week: { gpuHours: 672, utilization: 50 },
    },
  ],
  check,
  planted: [{ check: 'duplicate_init', kind: 'duplicate_init', subject: 'alpha-team' }],
  page: {
    file: '/work/.demo/out/dashboard.html',
    path: '/_local/files/demo%20org/board/ab12cd34/media/html/dashboard_0_0123456789abcdef0123.html',
  },
});

/** A check outcome with these findings (the text is the report's first line only). */
function checked(findings: { check: string; kind: string; subject: string }[]): DemoResult['check'] {
  return {
    report: {
      target_date: '2025-06-14',
      checked_at: '2025-06-15T09:00:00.000000',
      healthy: findings.length === 0,
      checks: { dashboard: 'ok', job_log: 'ok', anomalies: 'ok', duplicate_init: 'ok' },
      findings: findings.map((f) => ({ ...f, message: '' })),
      alert: { wandb: true, slack: undefined },
    } as unknown as NonNullable<DemoResult['check']>['report'],
    text: `Dashboard health check: ${findings.length} finding(s)\n`,
  };
}

describe('formatDemoReport', () => {
  it('prints what ran, the summary, the check and where to look next, paths relative to the cwd', () => {
    const text = formatDemoReport(
      result(checked([{ check: 'duplicate_init', kind: 'duplicate_init', subject: 'alpha-team' }])),
      {
        cwd: '/work',
        serverUrl: undefined,
        elapsedMs: 25_140,
      },
    );
    expect(text).toBe(
      [
        'gpu-dashboard demo: 1 nightly jobs, 2025-06-01 … 2025-06-14 (Asia/Tokyo), each against the local W&B server',
        "  the config's dates moved by +134 days so the demo ends yesterday (as run: .demo/config.yaml)",
        '  fleet: 360 generated runs of 1 companies, 9 planted duplicate-init groups',
        '  published to demo org/board; dataset artifact all_runs_data v13',
        '',
        '                             on 2025-06-14        week from 2025-06-08',
        'company  nodes     GPU hours   utilisation     GPU hours   utilisation',
        'alpha        1          96.0        50.0 %         672.0        50.0 %',
        '',
        'gpu-dashboard check --date 2025-06-14 (the morning after; the job log above stands in for CloudWatch):',
        'Dashboard health check: 1 finding(s)',
        '',
        'check found exactly what the fleet planted (1 finding(s); see .demo/fleet-manifest.json).',
        '',
        'Where to look next:',
        '  dashboard page         .demo/out/dashboard.html',
        "  in W&B                 the overall run's dashboard media; npm run demo -- --serve, or over this state:",
        '                         npx gpu-dashboard local-server --data-dir .demo/wandb --port 8080',
        '                         and open http://127.0.0.1:8080/_local/files/demo%20org/board/ab12cd34/media/html/dashboard_0_0123456789abcdef0123.html',
        '  W&B Report             http://127.0.0.1:4321/demo%20org/board/reports/GPU-usage-dashboard--Vmlldzox   (the Report view the job keeps; the local server stores it, W&B renders it)',
        '  tables of 2025-06-14   .demo/out/ (daily, weekly, monthly, overall, summary, allocation_outlook, user_usage .csv and dataset.csv)',
        "  job log                .demo/job-log.jsonl (one pipeline.completed per day); the check's: .demo/check-log.jsonl",
        '  fleet                  .demo/fleet.json, what was planted in .demo/fleet-manifest.json',
        '  all of it              .demo/ (emptied by the next demo)',
        '',
        'Done in 25.1 s.',
        '',
      ].join('\n'),
    );
  });

  it('says where check and the fleet plan differ', () => {
    const text = formatDemoReport(
      result(
        checked([
          { check: 'dashboard', kind: 'extra', subject: 'alpha' },
          { check: 'anomalies', kind: 'no_rows', subject: 'alpha' },
        ]),
      ),
      { cwd: '/work', serverUrl: undefined, elapsedMs: 0 },
    );
    expect(text).toContain(
      "\ncheck and the fleet's plan (.demo/fleet-manifest.json) differ: found but not planted: anomalies/no_rows/alpha, dashboard/extra/alpha; planted but not found: duplicate_init/duplicate_init/alpha-team.\n",
    );
  });

  it('gives the live URL under --serve and says when check did not run', () => {
    const text = formatDemoReport(result(undefined), {
      cwd: '/work',
      serverUrl: 'http://127.0.0.1:4321',
      elapsedMs: 0,
    });
    expect(text).toContain('\ncheck: not run\n');
    expect(text).toContain(
      "  in W&B                 http://127.0.0.1:4321/_local/files/demo%20org/board/ab12cd34/media/html/dashboard_0_0123456789abcdef0123.html   (the overall run's dashboard media; up until Ctrl-C)\n",
    );
    expect(text).not.toContain('--serve');
  });
});
