import { writeFile } from 'node:fs/promises';
import { OVERALL_TAG } from '../calculator/dashboard-layout.js';
import { loadConfig } from '../config/load.js';
import { renderPages } from '../report/pages.js';
import { publishReport } from '../report/publish-report.js';
import { NothingPublishedError, readPublishedDashboard } from '../report/read-latest.js';
import { buildReportSpec } from '../report/wandb-report-spec.js';
import { compareCodePoints } from '../shared/compare.js';
import { EXIT } from './exit.js';
import { CONFIG_HELP, checkOutFile, parseDateFlag, resolveConfigPath } from './options.js';
import type { AddCommand } from './program.js';
import {
  concurrencyFrom,
  createCliLogger,
  createCliWandb,
  DEFAULT_WANDB_BASE_URL,
  resolveApiKey,
} from './wandb-deps.js';

type ReportFlags = {
  config?: string;
  date?: string;
  out?: string;
  publish?: boolean;
  api?: string;
  verbose?: boolean;
};

const DEFAULT_OUT = 'dashboard.html';

/** `report`: the dashboard page of what is published, from any W&B server, without running the job. */
export const addReportCommand: AddCommand = (program, io, finish) => {
  program
    .command('report')
    .description('write the dashboard page of what is published (the runs holding latest, or one date)')
    .option('--config <file>', CONFIG_HELP)
    .option('--date <YYYY-MM-DD>', 'the Tables_<T> runs of this date (default: the runs holding latest)')
    .option('--out <file>', `the HTML page to write (default: ${DEFAULT_OUT})`)
    .option('--publish', 'also create or update the W&B Report in the dashboard project')
    .option('--api <key>', 'W&B API key (default: $WANDB_API_KEY); never logged')
    .option('--verbose', 'debug logging')
    .addHelpText(
      'after',
      '\nExamples:\n  gpu-dashboard report --out dashboard.html\n  gpu-dashboard report --date 2025-01-31 --publish',
    )
    .action(async (flags: ReportFlags) => {
      const out = await checkOutFile(flags.out ?? DEFAULT_OUT, '--out', io);
      const target = flags.date === undefined ? undefined : parseDateFlag(flags.date, '--date');
      const config = await loadConfig(resolveConfigPath(flags.config, io));
      const apiKey = resolveApiKey(flags.api, io);
      const log = createCliLogger(io, [apiKey], flags.verbose);
      const wandb = createCliWandb(apiKey, io, log, concurrencyFrom(undefined, config));
      const { entity, project, tag_for_latest: tag } = config.dashboard;
      const data = await readPublishedDashboard(wandb, {
        entity,
        project,
        tag,
        target,
        tags: [OVERALL_TAG, ...config.companies.map((c) => c.company)],
      });
      await writeFile(out, renderPages(data).overall, 'utf8');
      log.info('report.written', { file: out, runs: data.runs.length });
      io.stdout.write(`${out}\n`);
      if (flags.publish) {
        // The Report shows what the page shows: T of the overall run, a section per company run.
        const shown = target ?? data.runs.find((r) => r.tag === OVERALL_TAG)?.target;
        if (shown === undefined)
          throw new NothingPublishedError(`${entity}/${project}: no overall Tables_<T> run`);
        const title = config.dashboard.report_title;
        const companies = data.runs
          .map((r) => r.tag)
          .filter((t) => t !== OVERALL_TAG)
          .sort(compareCodePoints);
        const spec = buildReportSpec({ title, target: shown, entity, project, latestTag: tag, companies });
        const baseUrl = io.env.WANDB_BASE_URL ?? DEFAULT_WANDB_BASE_URL;
        const { url } = await publishReport(wandb, { baseUrl, entity, project, title, spec, log });
        io.stdout.write(`${url}\n`);
      }
      finish(EXIT.ok);
    });
};
