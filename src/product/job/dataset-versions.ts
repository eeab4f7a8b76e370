import type { DatasetVersions } from '../calculator/publish-tables.js';
import {
  type Dataset,
  DatasetError,
  type DatasetTarget,
  readDatasetVersion,
} from '../uploader/dataset-version.js';
import { latestArtifactVersion } from '../wandb/artifacts.js';
import type { WandbClient } from '../wandb/client.js';

/** This job's committed version, and the newest one, read only when a concurrent job committed since. */
export function datasetVersions(
  wandb: WandbClient,
  target: DatasetTarget,
  own: number,
  dataset: Dataset,
  zone: string,
): DatasetVersions {
  return {
    own,
    latest: async () => (await latestArtifactVersion(wandb, target))?.versionIndex,
    rows: async (version) => {
      if (version === own) return dataset.rows;
      const read = await readDatasetVersion(wandb, target, `v${version}`, zone);
      if (!read)
        throw new DatasetError(`${target.entity}/${target.project}/${target.name}:v${version}`, 'not found');
      return read.dataset.rows;
    },
  };
}
