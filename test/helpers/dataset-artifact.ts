// The dataset artifact as one CSV text, whatever its layout (month files or the single file): for tests
// that compare or re-read what a job committed.
import { datasetCsv, readDatasetVersion } from '../../src/product/uploader/dataset-version.js';
import { openArtifact } from '../../src/product/wandb/artifacts.js';
import type { WandbClient } from '../../src/product/wandb/client.js';

export async function readDatasetText(
  wandb: WandbClient,
  where: { entity: string; project: string; artifact: string },
  alias: string,
  zone = 'Asia/Tokyo',
): Promise<string | undefined> {
  const { entity, project, artifact: name } = where;
  const target = { entity, project, name, file: `${name}.csv`, folder: name, sumsFolder: `${name}.sums` };
  const version = await readDatasetVersion(wandb, target, alias, zone);
  return version && datasetCsv(version.dataset);
}

/** The raw bytes of the data files of a version (its month files, or its single file), in path order. */
export async function readDatasetFiles(
  wandb: WandbClient,
  where: { entity: string; project: string; artifact: string },
  alias: string,
): Promise<Buffer[]> {
  const opened = await openArtifact(wandb, { ...where, name: `${where.artifact}:${alias}` });
  if (!opened) return [];
  const data = opened.entries
    .map((e) => e.path)
    .filter((path) => path === `${where.artifact}.csv` || path.startsWith(`${where.artifact}/`));
  return Promise.all(data.map((path) => opened.read(path)));
}
