import { type CalculatorResult, calculateFromMonths, recentFrom } from '../calculator/index.js';
import type { Config } from '../config/types.js';
import type { DatasetVersions } from '../publish/tables.js';
import { type IsoDate, monthEnd } from '../shared/dates.js';
import type { RunDay } from '../shared/run-day.js';
import { DatasetError, openDatasetVersion } from '../uploader/dataset-version.js';
import { loadBase, type NightContext } from '../uploader/load-base.js';
import { buildVersion, monthsOfDates, type PlannedVersion } from '../uploader/night-version.js';
import { latestArtifactVersion } from '../wandb/artifacts.js';
import type { WandbClient } from '../wandb/client.js';

/**
 * The tables of a planned version for `target`: every month's sums, and the rows of the target's week
 * and month (the summary's and the per-user table's), taken from the months the version holds rows of
 * or read through `readMonth`.
 */
export async function plannedTables(
  planned: PlannedVersion,
  readMonth: (month: string) => Promise<readonly RunDay[]>,
  config: Config,
  target: IsoDate,
): Promise<CalculatorResult> {
  const from = recentFrom(config, target);
  const recent = monthsOfDates([from, target]);
  const rows: RunDay[] = [];
  for (const month of planned.months) {
    if (!recent.has(month.month)) continue;
    for (const row of month.rows ?? (await readMonth(month.month))) {
      if (row.date >= from && row.date <= target) rows.push(row);
    }
  }
  // The job's statements are a month's end's (docs/behaviour.md §13).
  return calculateFromMonths(
    planned.months.map((m) => m.sums),
    rows,
    config,
    target,
    { statements: target === monthEnd(target) },
  );
}

/**
 * This job's committed version, and the newest one, read only when a concurrent job committed since
 * or the job is a backfill. The job's own version is the one it planned (its sums and rows in memory;
 * a week month it did not read is read from the version); another is loaded by its sums files.
 */
export function datasetVersions(
  wandb: WandbClient,
  job: { config: Config; own: number; planned: PlannedVersion; zone: string; night: NightContext },
): DatasetVersions {
  const { config, night } = job;
  const open = async (version: number) => {
    const opened = await openDatasetVersion(wandb, night.target, `v${version}`, job.zone);
    if (opened) return opened;
    const { entity, project, name } = night.target;
    throw new DatasetError(`${entity}/${project}/${name}:v${version}`, 'not found');
  };
  return {
    own: job.own,
    latest: async () => (await latestArtifactVersion(wandb, night.target))?.versionIndex,
    tables: async (version: number, target: IsoDate) => {
      if (version === job.own) {
        const read = async (month: string) => (await (await open(version)).read([month])).rows;
        return plannedTables(job.planned, read, config, target);
      }
      const opened = await open(version);
      const planned = buildVersion(
        await loadBase(opened, monthsOfDates([recentFrom(config, target), target]), night),
        new Map(),
        night,
      );
      return plannedTables(planned, async () => [], config, target);
    },
  };
}
