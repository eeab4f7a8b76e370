import { wandbAlert } from '../alert/send-alerts.js';
import type { Alert } from '../alert/types.js';
import type { Config } from '../config/types.js';
import type { Clock } from '../shared/clock.js';
import { formatLocalTime, type IsoDate } from '../shared/dates.js';
import type { Logger } from '../shared/logger.js';
import { LOG_EVENTS } from '../shared/names.js';
import { type Provenance, productFields } from '../shared/provenance.js';
import { postSlackMessage } from '../shared/slack-post.js';
import { datasetTarget, openDatasetVersion } from '../uploader/dataset-version.js';
import type { WandbClient } from '../wandb/client.js';
import {
  createRun,
  deterministicRunId,
  finishRun,
  listRunsByTag,
  sendAlert,
  wrappedConfig,
} from '../wandb/run-writer.js';
import { anomalyFindings } from './anomalies.js';
import { readCheckRows } from './check-rows.js';
import { dashboardFindings, expectedDashboardTags } from './dashboard-health.js';
import { scanDataset } from './dataset-scan.js';
import { duplicateFindings } from './duplicate-findings.js';
import { type JobLogSource, readJobLog } from './job-log.js';
import { findingsMessage } from './slack-findings.js';
import {
  CHECK_NAMES,
  type CheckName,
  type CheckOutcome,
  type CheckReport,
  type Finding,
  outcome,
  unreachable,
} from './types.js';

export const HEALTH_CHECK_TITLE = 'Dashboard health check';
const HEALTH_CHECK_JOB_TYPE = 'health-check';
/** An alert lists at most this many findings; check-report.json has them all. */
const ALERT_MAX_FINDINGS = 50;

export type CheckOptions = {
  readonly date: IsoDate;
  readonly slackWebhookUrl?: string | undefined;
  /** Product version and config SHA-256, recorded on the `HealthCheck_<T>` run (docs/behaviour.md §12). */
  readonly provenance: Provenance;
};

export type CheckDeps = {
  wandb: WandbClient;
  jobLog: JobLogSource;
  clock: Clock;
  log: Logger;
  fetch?: typeof fetch;
};

/**
 * `check` (docs/behaviour.md §8): the four checks run side by side, each turning an unreachable source into a
 * finding of its own so the others still report; then one alert with every finding.
 */
export async function runCheck(config: Config, options: CheckOptions, deps: CheckDeps): Promise<CheckReport> {
  const target = options.date;
  const now = deps.clock.now().getTime();
  deps.log.info('check.started', { target_date: target });

  const [dashboard, jobLog, data] = await Promise.all([
    checkDashboard(config, target, deps),
    readJobLog(deps.jobLog, target, now, config.cloudwatch.log_group).then(outcome, (error: unknown) =>
      unreachable('job_log', deps.jobLog.name, error),
    ),
    checkDataset(config, target, deps),
  ]);
  const outcomes: Record<CheckName, CheckOutcome> = { dashboard, job_log: jobLog, ...data };
  const findings = CHECK_NAMES.flatMap((name) => outcomes[name].findings);
  const checks = Object.fromEntries(CHECK_NAMES.map((n) => [n, outcomes[n].status])) as CheckReport['checks'];
  for (const name of CHECK_NAMES) {
    deps.log.info('check.result', {
      check: name,
      status: outcomes[name].status,
      findings: outcomes[name].findings.length,
    });
  }

  const alert =
    findings.length > 0 && config.enable_alert
      ? await sendHealthAlert(config, { checks, findings }, options, deps)
      : { wandb: false, slack: undefined };
  const report: CheckReport = {
    target_date: target,
    checked_at: formatLocalTime(now, config.timezone),
    healthy: findings.length === 0,
    checks,
    findings,
    alert,
  };
  deps.log.info(LOG_EVENTS.checkCompleted, {
    target_date: target,
    findings: findings.length,
    healthy: report.healthy,
  });
  return report;
}

async function checkDashboard(config: Config, target: IsoDate, deps: CheckDeps): Promise<CheckOutcome> {
  const { entity, project, tag_for_latest: latest } = config.dashboard;
  try {
    const runs = await listRunsByTag(deps.wandb, entity, project, latest);
    return outcome(
      dashboardFindings(
        runs.map((r) => ({ id: r.name, displayName: r.displayName ?? r.name, tags: r.tags ?? [] })),
        expectedDashboardTags(config, target),
        latest,
        target,
      ),
    );
  } catch (error) {
    return unreachable('dashboard', `the W&B project ${entity}/${project}`, error);
  }
}

/** Anomalies and duplicate-init both read the latest dataset artifact, once: the months T needs (check-rows.ts). */
async function checkDataset(
  config: Config,
  target: IsoDate,
  deps: CheckDeps,
): Promise<Record<'anomalies' | 'duplicate_init', CheckOutcome>> {
  const ref = datasetTarget(config);
  const source = `the dataset artifact ${ref.entity}/${ref.project}/${ref.name}:latest`;
  try {
    const latest = await openDatasetVersion(deps.wandb, ref, 'latest', config.timezone);
    if (!latest) {
      const missing: Finding = {
        check: 'anomalies',
        kind: 'no_dataset',
        message: `${source} does not exist`,
      };
      return { anomalies: outcome([missing]), duplicate_init: outcome([]) };
    }
    const read = await readCheckRows(latest, target);
    const scan = scanDataset(read.rows, config, target, read.metricsBefore);
    return {
      anomalies: outcome(anomalyFindings(scan, config, target)),
      duplicate_init: outcome(duplicateFindings(scan, target, config.timezone)),
    };
  } catch (error) {
    return {
      anomalies: unreachable('anomalies', source, error),
      duplicate_init: unreachable('duplicate_init', source, error),
    };
  }
}

/** The run a check's W&B alert hangs on: one per date, so a rerun does not add runs. */
function healthCheckRunId(target: IsoDate): string {
  return deterministicRunId(`HealthCheck_${target}`);
}

function healthAlert(target: IsoDate, findings: readonly Finding[]): Alert {
  const lines = findings.slice(0, ALERT_MAX_FINDINGS).map((f) => `[${f.check}] ${f.message}`);
  if (findings.length > ALERT_MAX_FINDINGS) {
    lines.push(`… and ${findings.length - ALERT_MAX_FINDINGS} more (see check-report.json)`);
  }
  const severe = findings.some((f) => f.kind === 'unreachable' || f.kind === 'no_completion');
  return {
    title: HEALTH_CHECK_TITLE,
    text: `${findings.length} finding(s) for ${target}:\n${lines.join('\n')}`,
    severity: severe ? 'ERROR' : 'WARN',
  };
}

/**
 * Sends the one alert (escaped text to W&B, a Block Kit message to Slack); a failure of one channel is
 * logged and does not stop the other.
 */
async function sendHealthAlert(
  config: Config,
  { checks, findings }: Pick<CheckReport, 'checks' | 'findings'>,
  options: CheckOptions,
  deps: CheckDeps,
): Promise<CheckReport['alert']> {
  const { date: target, slackWebhookUrl } = options;
  const alert = healthAlert(target, findings);
  const { entity, project } = config.dashboard;
  let wandb = false;
  try {
    const runId = healthCheckRunId(target);
    await createRun(deps.wandb, {
      entity,
      project,
      runId,
      displayName: `HealthCheck_${target}`,
      jobType: HEALTH_CHECK_JOB_TYPE,
      tags: [],
      config: wrappedConfig(productFields(options.provenance)),
    });
    const run = { entity, project, run: runId };
    await sendAlert(deps.wandb, run, wandbAlert(alert));
    await finishRun(deps.wandb, run, 0);
    wandb = true;
  } catch (error) {
    deps.log.warn('check.alert_failed', { channel: 'wandb', error });
  }
  if (!slackWebhookUrl) return { wandb, slack: undefined };
  try {
    const message = findingsMessage({ title: alert.title, target, checks, findings });
    await postSlackMessage(slackWebhookUrl, message, deps.fetch ?? globalThis.fetch);
    return { wandb, slack: true };
  } catch (error) {
    deps.log.warn('check.alert_failed', { channel: 'slack', error: (error as Error).message });
    return { wandb, slack: false };
  }
}
