import { relative } from 'node:path';
import { type PlantedFinding, unexplainedFindings } from '../fleet/planted-findings.js';
import type { DemoResult } from './run-demo.js';
import { formatUsageTable } from './summary.js';

export type ReportPlaces = {
  /** Paths are shown relative to this folder. */
  readonly cwd: string;
  /** The server's URL while `--serve` keeps it up; undefined when the demo has stopped it. */
  readonly serverUrl: string | undefined;
  readonly elapsedMs: number;
};

/** What `gpu-dashboard demo` prints on stdout when it is done. */
export function formatDemoReport(result: DemoResult, places: ReportPlaces): string {
  const at = (path: string) => relative(places.cwd, path) || '.';
  const { config, paths } = result;
  const dashboard = config.dashboard;
  const shift =
    result.shiftDays === 0
      ? "the config's dates used as written"
      : `the config's dates moved by ${result.shiftDays > 0 ? '+' : ''}${result.shiftDays} days so the demo ends yesterday (as run: ${at(paths.config)})`;
  const check = result.check
    ? [
        `gpu-dashboard check --date ${result.end} (the morning after; the job log above stands in for CloudWatch):`,
        result.check.text.trimEnd(),
        '',
        agreement(result.check.report.findings, result.planted, at(paths.manifest)),
      ]
    : ['check: not run'];
  const path = result.page.path ?? '';
  type Line = readonly [label: string, text: string];
  const where: readonly Line[] = places.serverUrl
    ? [['in W&B', `${places.serverUrl}${path}   (the overall run's dashboard media; up until Ctrl-C)`]]
    : [
        ['in W&B', `the overall run's dashboard media; npm run demo -- --serve, or over this state:`],
        ['', `npx gpu-dashboard local-server --data-dir ${at(paths.wandb)} --port 8080`],
        ['', `and open http://127.0.0.1:8080${path}`],
      ];
  const reportUrl = result.jobs.at(-1)?.report?.url;
  const next: readonly Line[] = [
    ['dashboard page', at(result.page.file)],
    ...where,
    [
      'W&B Report',
      reportUrl
        ? `${reportUrl}   (the Report view the job keeps; the local server stores it, W&B renders it)`
        : 'not kept',
    ],
    [
      `tables of ${result.end}`,
      `${at(paths.out)}/ (daily, weekly, monthly, overall, summary, allocation_outlook, user_usage .csv and dataset.csv)`,
    ],
    ['job log', `${at(paths.jobLog)} (one pipeline.completed per day); the check's: ${at(paths.checkLog)}`],
    ['fleet', `${at(paths.seed)}, what was planted in ${at(paths.manifest)}`],
    ['all of it', `${at(paths.dir)}/ (emptied by the next demo)`],
  ];
  const width = Math.max(...next.map(([label]) => label.length));
  return [
    `gpu-dashboard demo: ${result.jobs.length} nightly jobs, ${result.start} … ${result.end} (${config.timezone}), each against the local W&B server`,
    `  ${shift}`,
    `  fleet: ${result.fleet.runs} generated runs of ${config.companies.length} companies, ${result.fleet.duplicateGroups} planted duplicate-init groups`,
    `  published to ${dashboard.entity}/${dashboard.project}; dataset artifact ${config.dataset.artifact_name} v${result.jobs.at(-1)?.dataset.version ?? '?'}`,
    '',
    ...formatUsageTable(result.usage, result.end, result.week),
    '',
    ...check,
    '',
    'Where to look next:',
    ...next.map(([label, text]) => `  ${label.padEnd(width)}   ${text}`),
    '',
    `Done in ${(places.elapsedMs / 1000).toFixed(1)} s.`,
    '',
  ].join('\n');
}

/** Whether check found exactly what the fleet planted: the demo's proof that `run` and `check` agree. */
function agreement(
  found: readonly { check: string; kind: string; subject?: string | undefined }[],
  planted: readonly PlantedFinding[],
  manifest: string,
): string {
  const { unplanted, missed } = unexplainedFindings(found, planted);
  if (unplanted.length === 0 && missed.length === 0) {
    return `check found exactly what the fleet planted (${planted.length} finding(s); see ${manifest}).`;
  }
  const list = (fs: readonly PlantedFinding[]) =>
    fs.map((f) => `${f.check}/${f.kind}/${f.subject}`).join(', ') || 'none';
  return `check and the fleet's plan (${manifest}) differ: found but not planted: ${list(unplanted)}; planted but not found: ${list(missed)}.`;
}
