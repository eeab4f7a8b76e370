import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { stringify } from 'yaml';
import type { Config } from '../../product/config/types.js';
import {
  type CheckReport,
  createWandbClient,
  type JobOutput,
  type JobReport,
  readLoggedPage,
  runJob,
  type WandbClient,
  writeDatasetFile,
  writeTables,
} from '../../product/index.js';
import type { Clock } from '../../product/shared/clock.js';
import { addDays, dateRange, type IsoDate, startOfLocalDay, weekStart } from '../../product/shared/dates.js';
import { InternalError } from '../../product/shared/errors.js';
import { sha256Hex } from '../../product/shared/hash.js';
import { createLogger, type Logger } from '../../product/shared/logger.js';
import { OVERALL_PAGE_KEY, OVERALL_TAG } from '../../product/shared/names.js';
import type { Provenance } from '../../product/shared/provenance.js';
import { PRODUCT_VERSION } from '../../product/shared/version.js';
import { configWithCompanies } from '../fleet/companies.js';
import { type PlantedFinding, plantedFindings } from '../fleet/planted-findings.js';
import type { FleetManifest } from '../fleet/types.js';
import { writeSeed } from '../fleet/write-seed.js';
import { type LocalWandb, startLocalWandb } from '../local-wandb/listen.js';
import { createCronClock } from './cron-clock.js';
import { DEMO_DAYS, loadDemoConfig } from './demo-config.js';
import { planDemoFleet } from './demo-fleet.js';
import { type DemoPaths, resetDemoDir } from './state-dir.js';
import { type CompanyUsage, companyUsage, formatJobLine } from './summary.js';

/** Local hours at which the nightly job and the morning check start, the day after the date they cover. */
const JOB_HOUR = 6;
const CHECK_HOUR = 9;
const HOUR_MS = 3_600_000;

/** What the `check` step receives: the server as the check would reach W&B, the job log as CloudWatch would hold it. */
export type DemoCheckInput = {
  readonly config: Config;
  readonly date: IsoDate;
  readonly wandb: WandbClient;
  readonly clock: Clock;
  /** JSON lines of every nightly job, `pipeline.completed` included (what CloudWatch would hold). */
  readonly jobLogPath: string;
  readonly log: Logger;
  /** What the check records on its run, as the job's runs record it. */
  readonly provenance: Provenance;
};
/** What the demo keeps of the check: its report as `check --json` prints it, and its own text. */
export type DemoCheckOutcome = {
  readonly report: CheckReport;
  readonly text: string;
};
export type DemoCheck = (input: DemoCheckInput) => Promise<DemoCheckOutcome>;

export type DemoOptions = {
  readonly dir: string;
  readonly configText: string;
  readonly configSource: string;
  readonly seed: number;
  readonly apiKey: string;
  readonly port?: number | undefined;
  /** Nightly jobs to replay (default DEMO_DAYS); tests use fewer. */
  readonly days?: number | undefined;
  /** The environment: the config's Slack webhook variable, when set, gets each nightly job's digest. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
};

export type DemoDeps = {
  clock: Clock;
  /** W&B run ids of the dataset-writing runs. */
  randomId: () => string;
  /** Told one line per finished nightly job. */
  onJob?: ((line: string) => void) | undefined;
  /** The `check` step, run after the last job (wired in cli/demo.ts); absent: skipped. */
  check?: DemoCheck | undefined;
  /** Called after each nightly job with its date and the server, before the next night (tests check in between). */
  afterJob?: ((night: { readonly date: IsoDate; readonly serverUrl: string }) => Promise<void>) | undefined;
};

export type DemoResult = {
  /** Still listening: the caller serves the page or closes it. */
  readonly server: LocalWandb;
  readonly config: Config;
  readonly paths: DemoPaths;
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly week: IsoDate;
  readonly shiftDays: number;
  readonly fleet: { readonly runs: number; readonly duplicateGroups: number };
  readonly jobs: readonly JobReport[];
  readonly usage: readonly CompanyUsage[];
  readonly check: DemoCheckOutcome | undefined;
  /** What the check must find, from what the fleet planted (the morning after the last job). */
  readonly planted: readonly PlantedFinding[];
  /** The last job's page: written to `file`; served by the local server at `path` (W&B's signed file link). */
  readonly page: { readonly file: string; readonly path: string | undefined };
};

/**
 * The demo: a fresh local W&B server seeded with a generated fleet, the nightly job for each
 * of the last `days` days in order (as the cron would run it, each at JOB_HOUR the next
 * morning), then the check. Everything lands in `options.dir`, emptied first.
 */
export async function runDemo(options: DemoOptions, deps: DemoDeps): Promise<DemoResult> {
  const { config, shiftDays, end } = loadDemoConfig(
    options.configText,
    options.configSource,
    deps.clock.now(),
  );
  const days = options.days ?? DEMO_DAYS;
  const slackWebhookUrl = options.env?.[config.alerts.slack_webhook_url_env] || undefined;
  const start = addDays(end, -(days - 1));
  const zone = config.timezone;
  // The demo config's own text, as `run` hashes the file it reads; no image, so no digest.
  const provenance: Provenance = {
    productVersion: PRODUCT_VERSION,
    configSha256: sha256Hex(options.configText),
  };
  const paths = await resetDemoDir(options.dir);
  await writeFile(paths.config, stringify(configWithCompanies(config, [])));
  const fleet = await writeFleet(config, end, options.seed, paths);

  const cron = createCronClock(deps.clock);
  const server = await startLocalWandb({
    dataDir: paths.wandb,
    apiKey: options.apiKey,
    seed: paths.seed,
    port: options.port ?? 0,
    clock: cron,
  });
  const logStream = createWriteStream(paths.jobLog);
  try {
    const log = createLogger({
      stream: logStream,
      clock: cron,
      format: 'json',
      secrets: [options.apiKey, slackWebhookUrl ?? ''],
    });
    const wandb = createWandbClient({
      baseUrl: server.url,
      apiKey: options.apiKey,
      log,
      concurrency: config.max_workers,
    });
    const jobs: JobReport[] = [];
    let last: JobOutput | undefined;
    for (const date of dateRange(start, end)) {
      cron.startAt(startOfLocalDay(addDays(date, 1), zone) + JOB_HOUR * HOUR_MS);
      const began = deps.clock.now().getTime();
      last = await runJob(
        config,
        {
          start: date,
          end: date,
          dryRun: false,
          slackWebhookUrl,
          provenance,
        },
        { wandb, wandbBaseUrl: server.url, clock: cron, log, randomId: deps.randomId },
      );
      jobs.push(last.report);
      deps.onJob?.(formatJobLine(last.report, deps.clock.now().getTime() - began));
      await deps.afterJob?.({ date, serverUrl: server.url });
    }
    if (!last) throw new InternalError(`the demo ran no job (days: ${days})`);
    await writeTables(paths.out, last.result.tables);
    const dataset = await last.dataset.readAll();
    await writeDatasetFile(join(paths.out, 'dataset.csv'), dataset.rows, dataset.extras);
    const page = await readLoggedPage(
      wandb,
      {
        entity: config.dashboard.entity,
        project: config.dashboard.project,
        tag: config.dashboard.tag_for_latest,
      },
      OVERALL_TAG,
      OVERALL_PAGE_KEY,
    );
    if (!page) throw new InternalError('the last job logged no dashboard page');
    await writeFile(join(paths.out, 'dashboard.html'), page.html);

    logStream.end();
    await finished(logStream);
    cron.startAt(startOfLocalDay(addDays(end, 1), zone) + CHECK_HOUR * HOUR_MS);
    const checkInput = { config, date: end, provenance };
    const check =
      deps.check && (await runCheckStep(deps.check, checkInput, server.url, options.apiKey, cron, paths));
    if (check) await writeFile(paths.checkReport, `${JSON.stringify(check.report, null, 2)}\n`);
    const week = weekStart(end, config.weekStartIndex);
    const companies = config.companies.map((c) => c.company);
    return {
      server,
      config,
      paths,
      start,
      end,
      week,
      shiftDays,
      fleet: { runs: fleet.runs, duplicateGroups: fleet.duplicateGroups },
      jobs,
      usage: companyUsage(companies, last.result.usage, end, week),
      check,
      planted: plantedFindings(fleet.manifest, config, end),
      page: {
        file: join(paths.out, 'dashboard.html'),
        // Path and query: the signature in the query lets a browser open it without the key.
        path: page.directUrl ? page.directUrl.slice(new URL(page.directUrl).origin.length) : undefined,
      },
    };
  } catch (error) {
    if (!logStream.writableEnded) logStream.end();
    await server.close();
    throw error;
  }
}

/** The check, with its own log file and client (the job's log is complete and closed by then). */
async function runCheckStep(
  check: DemoCheck,
  input: Pick<DemoCheckInput, 'config' | 'date' | 'provenance'>,
  baseUrl: string,
  apiKey: string,
  clock: Clock,
  paths: DemoPaths,
): Promise<DemoCheckOutcome> {
  const stream = createWriteStream(paths.checkLog);
  try {
    const log = createLogger({ stream, clock, format: 'json', secrets: [apiKey] });
    const wandb = createWandbClient({ baseUrl, apiKey, log, concurrency: input.config.max_workers });
    return await check({ ...input, wandb, clock, jobLogPath: paths.jobLog, log });
  } finally {
    stream.end();
    await finished(stream);
  }
}

async function writeFleet(
  config: Config,
  end: IsoDate,
  seed: number,
  paths: DemoPaths,
): Promise<{ runs: number; duplicateGroups: number; manifest: FleetManifest }> {
  const fleet = planDemoFleet(config, end, seed);
  const out = createWriteStream(paths.seed);
  const written = await writeSeed(fleet, out, false);
  out.end();
  await finished(out);
  await writeFile(paths.manifest, `${JSON.stringify(written.manifest, null, 2)}\n`);
  return {
    runs: written.runs,
    duplicateGroups: written.manifest.planted.duplicateGroups.length,
    manifest: written.manifest,
  };
}
