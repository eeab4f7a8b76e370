import { calculateFromMonths } from '../calculator/build-tables.js';
import type { DatasetVersions } from '../calculator/publish-tables.js';
import type { Config } from '../config/types.js';
import { type IsoDate, weekStart } from '../shared/dates.js';
import { DatasetError, openDatasetVersion } from '../uploader/dataset-version.js';
import { loadBase, type NightContext } from '../uploader/load-base.js';
import { buildVersion, monthsOfDates, rowsBetween } from '../uploader/night-version.js';
import { latestArtifactVersion } from '../wandb/artifacts.js';
import type { WandbClient } from '../wandb/client.js';

/**
 * This job's committed version, and the newest one, read only when a concurrent job committed since
 * or the job is a backfill; a version's tables come from its sums and the rows of the target's week.
 */
export function datasetVersions(
  wandb: WandbClient,
  job: { config: Config; own: number; zone: string; night: NightContext },
): DatasetVersions {
  const { config, night } = job;
  return {
    own: job.own,
    latest: async () => (await latestArtifactVersion(wandb, night.target))?.versionIndex,
    tables: async (version: number, target: IsoDate) => {
      const opened = await openDatasetVersion(wandb, night.target, `v${version}`, job.zone);
      if (!opened) {
        const { entity, project, name } = night.target;
        throw new DatasetError(`${entity}/${project}/${name}:v${version}`, 'not found');
      }
      const from = weekStart(target, config.weekStartIndex);
      const base = await loadBase(opened, monthsOfDates([from, target]), night);
      const planned = buildVersion(base, new Map(), night);
      return calculateFromMonths(
        planned.months.map((m) => m.sums),
        rowsBetween(planned, from, target),
        config,
        target,
      );
    },
  };
}
