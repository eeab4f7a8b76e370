import { join, resolve } from 'node:path';
import { createTablesBuilder, type Statement, statementTable, tableCsv } from '../calculator/index.js';
import type { Config } from '../config/types.js';
import { publishStatements } from '../publish/statements.js';
import { renderStatementPage } from '../report/render-statement.js';
import { addDays, type IsoDate, isIsoDate, localDateOf, monthEnd } from '../shared/dates.js';
import { UsageError } from '../shared/errors.js';
import { productFields } from '../shared/provenance.js';
import type { RunDay } from '../shared/run-day.js';
import { readDatasetPath } from '../uploader/dataset-path.js';
import { DatasetError } from '../uploader/dataset-version.js';
import { openPriorDataset } from '../uploader/prior-dataset.js';
import type { ExitCode } from './exit.js';
import { EXIT } from './exit.js';
import type { CliIo } from './io.js';
import { loadConfigFor, selectedCompanies } from './options.js';
import { checkOutDir, writeOutputFile, writeOutputs } from './out-path.js';
import { cliProvenance } from './provenance.js';
import {
  concurrencyFrom,
  createCliLogger,
  createCliWandb,
  resolveApiKey,
  resolveWandbBaseUrl,
} from './wandb-deps.js';

export type StatementFlags = {
  config?: string;
  month: string;
  company?: string[];
  dataset?: string;
  out?: string;
  publish?: boolean;
  api?: string;
  verbose?: boolean;
};

const DEFAULT_OUT = 'statements';

/**
 * The month's statements (docs/behaviour.md §13), computed as the job computes them at the month's end:
 * the month's rows through the calculator with T = the month's last day (or yesterday, while the month
 * runs), so a statement's totals are the monthly table's row.
 */
export async function statementCommand(flags: StatementFlags, io: CliIo): Promise<ExitCode> {
  const outDir = await checkOutDir(flags.out ?? DEFAULT_OUT, '--out', io);
  const loaded = await loadConfigFor(flags.config, io);
  const { config } = loaded;
  const through = statementEnd(flags.month, config, io.clock.now());
  const wanted = selectedCompanies(flags.company, config);
  const needsApi = flags.dataset === undefined || flags.publish;
  const apiKey = needsApi ? resolveApiKey(flags.api, io) : '';
  const log = createCliLogger(io, [apiKey], flags.verbose);
  const wandb = needsApi
    ? createCliWandb(apiKey, resolveWandbBaseUrl(io), io, log, concurrencyFrom(undefined, config))
    : undefined;

  const builder = createTablesBuilder(config, through, { statements: true });
  const month = flags.month;
  const add = (row: RunDay) => {
    if (row.date.startsWith(month)) builder.add(row);
  };
  if (flags.dataset !== undefined) {
    await readDatasetPath(resolve(io.cwd, flags.dataset), config.timezone, add);
  } else {
    const opened = await openPriorDataset(config, { wandb: wandb!, log });
    if (!opened)
      throw new DatasetError(`${config.dataset.entity}/${config.dataset.project}`, 'no dataset artifact');
    await opened.scan([month], add);
  }
  const statements = builder
    .finish()
    .statements.filter((s) => wanted === undefined || wanted.includes(s.company));
  const missing = (wanted ?? []).filter((c) => !statements.some((s) => s.company === c));
  if (missing.length > 0) {
    throw new UsageError(`--company: ${missing.map((c) => `"${c}"`).join(', ')} had no nodes in ${month}`);
  }

  const names = fileNames(statements);
  const written = await writeOutputs('--out', outDir, async () => {
    const files: string[] = [];
    for (const statement of statements) {
      const base = join(outDir, names.get(statement.company)!);
      await writeOutputFile('--out', `${base}.html`, renderStatementPage(statement));
      await writeOutputFile('--out', `${base}.csv`, tableCsv(statementTable(statement)));
      files.push(`${base}.html`, `${base}.csv`);
    }
    return files;
  });
  log.info('statement.written', { month, through, files: written });
  for (const file of written) io.stdout.write(`${file}\n`);
  if (flags.publish) {
    const record = productFields(cliProvenance(loaded.sha256, io));
    await publishStatements(statements, config, record, renderStatementPage, { wandb: wandb!, log });
  }
  return EXIT.ok;
}

/** The month's last day, or yesterday while the month runs; a month with no day past yet is a usage error. */
function statementEnd(month: string, config: Config, now: Date): IsoDate {
  const first = `${month}-01`;
  if (!/^\d{4}-\d{2}$/.test(month) || !isIsoDate(first)) {
    throw new UsageError(`--month: "${month}" is not a month YYYY-MM`);
  }
  const yesterday = addDays(localDateOf(now, config.timezone), -1);
  if (first > yesterday) {
    throw new UsageError(
      `--month: ${month} has no day before today yet (${yesterday} was yesterday in ${config.timezone})`,
    );
  }
  const end = monthEnd(first);
  return end < yesterday ? end : yesterday;
}

/** `statement-<YYYY-MM>-<company>`, the name kept to letters, digits, `.`, `_` and `-` (and made unique). */
function fileNames(statements: readonly Statement[]): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const s of statements) {
    const slug = s.company.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';
    let name = `statement-${s.month}-${slug}`;
    for (let n = 2; used.has(name); n++) name = `statement-${s.month}-${slug}-${n}`;
    used.add(name);
    names.set(s.company, name);
  }
  return names;
}
