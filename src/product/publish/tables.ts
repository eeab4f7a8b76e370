import {
  type CalculatorResult,
  companyTables,
  overallTables,
  type Statement,
  type Table,
} from '../calculator/index.js';
import type { Config } from '../config/types.js';
import { companiesWithNodesOn, nodesOn } from '../shared/calendar.js';
import { addDays, type IsoDate } from '../shared/dates.js';
import type { Logger } from '../shared/logger.js';
import { COMPANY_PAGE_KEY, OVERALL_PAGE_KEY, STATEMENT_PAGE_KEY, TABLES_JOB_TYPE } from '../shared/names.js';
import type { ProvenanceFields } from '../shared/provenance.js';
import { allSettledOrThrow } from '../shared/settle.js';
import type { WandbClient } from '../wandb/client.js';
import {
  createRun,
  listRunsByTag,
  logMediaAndFinish,
  type MediaFile,
  wrappedConfig,
} from '../wandb/run-writer.js';
import { htmlFile } from './html-media.js';
import {
  DATASET_VERSION_KEY,
  moveLatest,
  newestTarget,
  OVERALL_TAG,
  recomputedRunId,
  type TablesRun,
  tablesRunId,
  tablesRunOf,
} from './latest-tag.js';
import { tableFile } from './wandb-table.js';

export { COMPANY_PAGE_KEY, OVERALL_PAGE_KEY, OVERALL_TAG, TABLES_JOB_TYPE } from '../shared/names.js';
export { tablesRunId } from './latest-tag.js';

export type PublishedRun = {
  readonly tag: string;
  readonly runId: string;
  readonly storageId: string;
  /** The run's `Tables_<T>` date: the job's T, or a newer one it recomputed. */
  readonly target: IsoDate;
  /** Whether the run was published with `latest` (a company without nodes on T is not). */
  readonly latest: boolean;
  /** The dataset version its tables were computed from, when known. */
  readonly datasetVersion: number | undefined;
};
export type PublishTablesDeps = { wandb: WandbClient; log: Logger };

export type PublishedTables = {
  readonly runs: PublishedRun[];
  /** The newest `Tables_<T>` date holding `latest` now: the job's T, or a newer one. */
  readonly newest: IsoDate;
};

/** The dashboard pages of a target's tables (rendered by the report stage), given each run's id by tag. */
export type PageRenderer = (
  result: CalculatorResult,
  runIdOf: (tag: string) => string,
) => { readonly overall: string; company(name: string): string };

export type PublishTablesOptions = {
  /** The job's provenance, recorded in every run's config beside `dataset_version` (docs/behaviour.md §12). */
  readonly provenance: ProvenanceFields;
  /** The dataset versions: recorded on each run, and used to bring the newest published date up to date. */
  readonly versions?: DatasetVersions | undefined;
  /** Pages logged as W&B HTML media beside the Tables. */
  readonly pages?: PageRenderer | undefined;
  /** A month-end statement's page, logged on its company's run (docs/behaviour.md §13). */
  readonly statementPage?: ((statement: Statement) => string) | undefined;
};

/** The dataset the job committed, and the way to the newest one a concurrent job may have committed since. */
export type DatasetVersions = {
  /** The version this job's tables were computed from (recorded on each run). */
  readonly own: number;
  /** The version `latest` points at now. */
  latest(): Promise<number | undefined>;
  /** A committed version's tables for a target date. */
  tables(version: number, target: IsoDate): Promise<CalculatorResult>;
};

/**
 * Companies with nodes on some day of [start, T] get a run (docs/behaviour.md §7), and at a month's end
 * every company with a statement (nodes on some day of the month), so an allocation that ended within
 * the month still gets its last statement.
 */
function publishedCompanies(config: Config, start: IsoDate, result: CalculatorResult): string[] {
  const stated = new Set(result.statements.map((s) => s.company));
  return config.companies
    .filter((c) => {
      if (stated.has(c.company)) return true;
      for (let d = start; d <= result.target; d = addDays(d, 1)) if (nodesOn(c, d) > 0) return true;
      return false;
    })
    .map((c) => c.company);
}

/**
 * Calculator publishing (docs/behaviour.md §7): one `Tables_<T>` run for overall and per company, each logging real
 * W&B Tables and tagged [tag, latest] (a company without nodes on T: [tag] alone, as `check` expects no
 * `latest` for it). When runs of a newer date hold `latest` (this job is a backfill, or ran beside a
 * newer one) and were computed from an older dataset version, that date's tables are recomputed from
 * this job's merged dataset and published too, so `latest` always shows every committed row. Only after
 * all are published does `latest` leave the runs that lost it, so the dashboard always has one.
 */
export async function publishTables(
  result: CalculatorResult,
  config: Config,
  start: IsoDate,
  deps: PublishTablesDeps,
  options: PublishTablesOptions,
): Promise<PublishedTables> {
  const { entity, project, tag_for_latest: latest } = config.dashboard;
  const { versions, pages, provenance, statementPage } = options;
  const runs: TargetRuns = {
    runIdOf: tablesRunId,
    datasetVersion: versions?.own,
    pages,
    statementPage,
    provenance,
  };
  const published = await publishTarget(result, config, start, runs, deps);
  const holders = (await listRunsByTag(deps.wandb, entity, project, latest)).map(tablesRunOf);
  if (versions)
    published.push(...(await bringNewestUpToDate(result.target, config, holders, versions, runs, deps)));
  const candidates = published.map(
    (p): TablesRun => ({
      id: p.storageId,
      name: p.runId,
      tags: [p.tag],
      target: p.target,
      version: p.datasetVersion ?? -1,
    }),
  );
  await moveLatest(config, holders, candidates, deps);
  const held = newestTarget(config, holders);
  return { runs: published, newest: held !== undefined && held > result.target ? held : result.target };
}

/**
 * The newest published date's tables, recomputed when the dataset has a version newer than the one they
 * were computed from: this job is a backfill of older days, or a concurrent job committed after this one
 * (each job checks after publishing, so the one that finishes last sees the other's commit). The runs
 * are new ones per version (recomputedRunId), never overwriting tables of a newer version; the retag
 * prefers the newest version.
 */
async function bringNewestUpToDate(
  own: IsoDate,
  config: Config,
  holders: readonly TablesRun[],
  versions: DatasetVersions,
  ownRuns: TargetRuns,
  deps: PublishTablesDeps,
): Promise<PublishedRun[]> {
  const held = newestTarget(config, holders);
  const newest = held !== undefined && held > own ? held : own;
  const shown = Math.max(
    newest === own ? versions.own : -1,
    ...holders.filter((h) => h.target === newest && h.tags.includes(OVERALL_TAG)).map((h) => h.version),
  );
  const current = (await versions.latest()) ?? versions.own;
  if (current <= shown) return [];
  deps.log.info('calculator.newest_recomputed', { target_date: newest, dataset_version: current, shown });
  const runs: TargetRuns = {
    ...ownRuns,
    runIdOf: (target, tag) => recomputedRunId(target, tag, current),
    datasetVersion: current,
  };
  return publishTarget(await versions.tables(current, newest), config, newest, runs, deps);
}

/** How one target date's runs are named and what they record beside their Tables. */
type TargetRuns = {
  readonly runIdOf: (target: IsoDate, tag: string) => string;
  /** The dataset version the tables were computed from, when known. */
  readonly datasetVersion: number | undefined;
  readonly pages: PageRenderer | undefined;
  readonly statementPage: ((statement: Statement) => string) | undefined;
  readonly provenance: ProvenanceFields;
};

/** The `Tables_<T>` runs of one target date: overall and every company with nodes on some day of [start, T]. */
async function publishTarget(
  result: CalculatorResult,
  config: Config,
  start: IsoDate,
  runs: TargetRuns,
  deps: PublishTablesDeps,
): Promise<PublishedRun[]> {
  const { runIdOf, datasetVersion, pages, statementPage } = runs;
  const { entity, project, tag_for_latest: latest } = config.dashboard;
  const runConfig = wrappedConfig({
    ...runs.provenance,
    ...(datasetVersion === undefined ? {} : { [DATASET_VERSION_KEY]: datasetVersion }),
  });
  const withNodes = new Set(companiesWithNodesOn(config, result.target));
  const targets: [string, Record<string, Table>][] = [
    [OVERALL_TAG, overallTables(result)],
    ...publishedCompanies(config, start, result).map((c): [string, Record<string, Table>] => [
      c,
      companyTables(result, c),
    ]),
  ];
  const rendered = pages?.(result, (tag) => runIdOf(result.target, tag));
  // Every run at once: the W&B client bounds the requests in flight (max_workers), so the runs share
  // them instead of waiting for each other. The retag comes only after all of them (publishTables).
  return allSettledOrThrow(
    targets.map(async ([tag, tables]): Promise<PublishedRun> => {
      const runId = runIdOf(result.target, tag);
      const isLatest = tag === OVERALL_TAG || withNodes.has(tag);
      const created = await createRun(deps.wandb, {
        entity,
        project,
        runId,
        displayName: `Tables_${result.target}`,
        jobType: TABLES_JOB_TYPE,
        tags: isLatest ? [tag, latest] : [tag],
        config: runConfig,
      });
      const run = { entity, project, run: runId };
      const files: (readonly [string, MediaFile])[] = Object.entries(tables).map(
        ([key, table]) => [key, tableFile(key, 0, table)] as const,
      );
      if (rendered) {
        const [key, page] =
          tag === OVERALL_TAG
            ? [OVERALL_PAGE_KEY, rendered.overall]
            : [COMPANY_PAGE_KEY, rendered.company(tag)];
        files.push([key, htmlFile(key, 0, page)]);
      }
      const statement = result.statements.find((s) => s.company === tag);
      if (statement && statementPage) {
        files.push([STATEMENT_PAGE_KEY, htmlFile(STATEMENT_PAGE_KEY, 0, statementPage(statement))]);
      }
      // One post after the uploads: the history row, the summary, the uploaded files and the run's end.
      await logMediaAndFinish(deps.wandb, run, files);
      deps.log.info('calculator.published', {
        tag,
        run_id: runId,
        target_date: result.target,
        tables: files.length,
      });
      return { tag, runId, storageId: created.id, target: result.target, latest: isLatest, datasetVersion };
    }),
  );
}
