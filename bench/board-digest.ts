// What a job left on a W&B server, as JSON that two builds' runs can be compared by (`cmp`): every dataset
// version's rows as one CSV's SHA-256 without its `logged_at` column (the job's clock), and every `Tables_<T>` run's
// name, tags, state, config, history length, summary (without `_` keys) and file MD5s.
// usage: node --import tsx bench/board-digest.ts CONFIG.yaml > digest.json  (WANDB_BASE_URL, WANDB_API_KEY)
import { createHash } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { loadConfig } from '../src/product/config/load.js';
import { TABLES_JOB_TYPE } from '../src/product/publish/tables.js';
import { datasetCsv, datasetTarget, readDatasetVersion } from '../src/product/uploader/dataset-version.js';
import { createWandbClient } from '../src/product/wandb/client.js';

type RunNode = {
  name: string;
  displayName: string;
  jobType: string | null;
  state: string;
  tags: string[];
  config: string;
  historyLineCount: number;
  summaryMetrics: string;
  files: { edges: { node: { name: string; md5: string } }[] };
};
type RunsPage = {
  project: {
    runs: { pageInfo: { endCursor: string | null; hasNextPage: boolean }; edges: { node: RunNode }[] };
  };
};

const RUNS = `query BoardRuns($entity: String!, $project: String!, $after: String) {
  project(name: $project, entityName: $entity) {
    runs(first: 200, after: $after) {
      pageInfo { endCursor hasNextPage }
      edges { node { name displayName jobType state tags config historyLineCount summaryMetrics
        files(first: 100) { edges { node { name md5 } } } } }
    }
  }
}`;

const [configPath] = process.argv.slice(2);
if (!configPath || !process.env.WANDB_BASE_URL || !process.env.WANDB_API_KEY) {
  process.stderr.write('usage: WANDB_BASE_URL=… WANDB_API_KEY=… board-digest.ts CONFIG.yaml\n');
  process.exit(2);
}
const config = await loadConfig(configPath);
const wandb = createWandbClient({ baseUrl: process.env.WANDB_BASE_URL, apiKey: process.env.WANDB_API_KEY });

const versions: { rows: number; sha256: string }[] = [];
const target = datasetTarget(config);
for (let v = 0; ; v += 1) {
  // The whole version as one CSV, whichever layout it has (month files or the single file).
  const found = await readDatasetVersion(wandb, target, `v${v}`, config.timezone);
  if (!found) break;
  const records = parseCsv(datasetCsv(found.dataset), { relax_column_count: false }) as string[][];
  const at = records[0]?.indexOf('logged_at') ?? -1;
  const kept = at < 0 ? records : records.map((cells) => cells.filter((_, i) => i !== at));
  const sha256 = createHash('sha256').update(stringifyCsv(kept)).digest('hex');
  versions.push({ rows: records.length - 1, sha256 });
}

const runs: Record<string, unknown> = {};
const { entity: boardEntity, project: boardProject } = config.dashboard;
for (let after: string | null = null; ; ) {
  const page: RunsPage = await wandb.graphql<RunsPage>('BoardRuns', RUNS, {
    entity: boardEntity,
    project: boardProject,
    after,
  });
  for (const { node } of page.project.runs.edges) {
    if (node.jobType !== TABLES_JOB_TYPE) continue;
    const summary = JSON.parse(node.summaryMetrics) as Record<string, unknown>;
    runs[node.name] = {
      displayName: node.displayName,
      state: node.state,
      tags: [...node.tags].sort(),
      config: JSON.parse(node.config) as unknown,
      historyLineCount: node.historyLineCount,
      files: Object.fromEntries(node.files.edges.map((e) => [e.node.name, e.node.md5]).sort()),
      summary: Object.fromEntries(
        Object.entries(summary)
          .filter(([k]) => !k.startsWith('_'))
          .sort(),
      ),
    };
  }
  if (!page.project.runs.pageInfo.hasNextPage) break;
  after = page.project.runs.pageInfo.endCursor;
}
const sorted = Object.fromEntries(Object.entries(runs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
process.stdout.write(`${JSON.stringify({ versions, runs: sorted }, null, 1)}\n`);
