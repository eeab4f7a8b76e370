import { NothingPublishedError, readPublishedDashboard } from '../publish/read-published.js';
import { publishReport } from '../publish/report.js';
import { outlookLead } from '../report/outlook-lead.js';
import { renderPages } from '../report/pages.js';
import { atRiskFirst, reportOutlook } from '../report/report-outlook.js';
import { buildReportSpec } from '../report/wandb-report-spec.js';
import { OVERALL_TAG } from '../shared/names.js';
import type { ExitCode } from './exit.js';
import { EXIT } from './exit.js';
import type { CliIo } from './io.js';
import { DEFAULT_REPORT_OUT, loadConfigFor, parseDateFlag } from './options.js';
import { checkOutFile, writeOutputFile } from './out-path.js';
import {
  concurrencyFrom,
  createCliLogger,
  createCliWandb,
  resolveApiKey,
  resolveWandbBaseUrl,
} from './wandb-deps.js';

export type ReportFlags = {
  config?: string;
  date?: string;
  out?: string;
  publish?: boolean;
  api?: string;
  verbose?: boolean;
};

export async function reportCommand(flags: ReportFlags, io: CliIo): Promise<ExitCode> {
  const out = await checkOutFile(flags.out ?? DEFAULT_REPORT_OUT, '--out', io);
  const target = flags.date === undefined ? undefined : parseDateFlag(flags.date, '--date');
  const { config } = await loadConfigFor(flags.config, io);
  const baseUrl = resolveWandbBaseUrl(io);
  const apiKey = resolveApiKey(flags.api, io);
  const log = createCliLogger(io, [apiKey], flags.verbose);
  const wandb = createCliWandb(apiKey, baseUrl, io, log, concurrencyFrom(undefined, config));
  const { entity, project, tag_for_latest: tag } = config.dashboard;
  const data = await readPublishedDashboard(wandb, {
    entity,
    project,
    tag,
    target,
    tags: [OVERALL_TAG, ...config.companies.map((c) => c.company)],
  });
  await writeOutputFile('--out', out, renderPages(data).overall);
  log.info('report.written', { file: out, runs: data.runs.length });
  io.stdout.write(`${out}\n`);
  if (flags.publish) {
    // The Report shows what the page shows: T of the overall run, a section per company run.
    const shown = target ?? data.runs.find((r) => r.tag === OVERALL_TAG)?.target;
    if (shown === undefined)
      throw new NothingPublishedError(`${entity}/${project}: no overall Tables_<T> run`);
    const title = config.dashboard.report_title;
    const overall = data.runs.find((r) => r.tag === OVERALL_TAG);
    const leads = overall ? outlookLead(overall.tables) : undefined;
    const companies = atRiskFirst(
      data.runs.map((r) => r.tag).filter((t) => t !== OVERALL_TAG),
      leads,
    );
    const outlook = reportOutlook(leads, () => undefined);
    const spec = buildReportSpec({
      title,
      target: shown,
      entity,
      project,
      latestTag: tag,
      companies,
      outlook,
    });
    const { url } = await publishReport(wandb, { baseUrl, entity, project, title, spec, log });
    io.stdout.write(`${url}\n`);
  }
  return EXIT.ok;
}
