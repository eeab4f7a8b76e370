// Adds a prior dataset in the single-file layout (`<artifact_name>.csv`, as the Python original and this
// product before the month files wrote it) to a fleet's seed, so bench/compare-builds.sh can check that two
// builds publish the same from it (the later build migrating it to month files on its first night).
// usage: node --import tsx bench/legacy-seed.ts SEED_JSON CONFIG_YAML ROWS FIRST_DAY DAYS
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadConfig } from '../src/product/config/load.js';
import { type IsoDate, isIsoDate } from '../src/product/shared/dates.js';
import { generateDataset } from './generate-dataset.js';

const [seedFile, configFile, rows, firstDay, days] = process.argv.slice(2);
if (!seedFile || !configFile || !rows || !firstDay || !isIsoDate(firstDay) || !days) {
  process.stderr.write('usage: legacy-seed.ts SEED_JSON CONFIG_YAML ROWS FIRST_DAY DAYS\n');
  process.exit(2);
}
const config = await loadConfig(configFile);
const csv = join(dirname(seedFile), 'legacy-dataset.csv');
await generateDataset(
  csv,
  Number(rows),
  config.companies.flatMap((c) => c.teams),
  firstDay as IsoDate,
  Number(days),
);
const seed = JSON.parse(await readFile(seedFile, 'utf8')) as { artifacts?: unknown[] };
const { entity, project, artifact_name: name } = config.dataset;
seed.artifacts = [
  ...(seed.artifacts ?? []),
  { entity, project, name, type: 'dataset', files: { [`${name}.csv`]: 'legacy-dataset.csv' } },
];
await writeFile(seedFile, JSON.stringify(seed));
