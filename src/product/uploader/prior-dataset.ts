import type { Config } from '../config/types.js';
import type { Logger } from '../shared/logger.js';
import type { WandbClient } from '../wandb/client.js';
import { hasRuns } from '../wandb/runs.js';
import { DatasetError, datasetTarget, type OpenedDataset, openDatasetVersion } from './dataset-version.js';

/**
 * W&B's documented display-name filter (Python SDK `Api.runs` docstring: `{"display_name": {"$regex": …}}`):
 * any `Tables_<T>` run, whichever job type wrote it.
 */
const TABLES_RUNS = { display_name: { $regex: '^Tables_' } };

/**
 * The latest dataset version, opened (its manifest read) before anything is written. No artifact at the configured path while
 * the dashboard project already holds `Tables_*` runs means the path is wrong (a typo in `dataset.*`):
 * the job stops (exit 1) rather than start a new dataset of one night. With neither, the dataset starts
 * empty, and the log says so.
 */
export async function openPriorDataset(
  config: Config,
  deps: { wandb: WandbClient; log: Logger },
): Promise<OpenedDataset | undefined> {
  const target = datasetTarget(config);
  const prior = await openDatasetVersion(deps.wandb, target, 'latest', config.timezone);
  if (prior) return prior;
  const path = `${target.entity}/${target.project}/${target.name}`;
  const { entity, project } = config.dashboard;
  if (await hasRuns(deps.wandb, { entity, project, filters: TABLES_RUNS })) {
    throw new DatasetError(
      path,
      `no dataset artifact here, but the dashboard project ${entity}/${project} already holds Tables_* runs; ` +
        'check dataset.entity, dataset.project and dataset.artifact_name in the config (nothing was published)',
    );
  }
  deps.log.warn('uploader.dataset_missing', { artifact: path, action: 'starting an empty dataset' });
  return undefined;
}
