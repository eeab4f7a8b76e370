// What a finished job leaves on the server, read back through the real client and plain GraphQL,
// so runs against different servers (killed and rerun vs uninterrupted) can be compared.
import { tablesRunOf } from '../../src/product/publish/latest-tag.js';
import { latestArtifactVersion } from '../../src/product/wandb/artifacts.js';
import { createWandbClient } from '../../src/product/wandb/client.js';
import { listRunsByTag } from '../../src/product/wandb/run-writer.js';
import { readDatasetText } from './dataset-artifact.js';
import { gql } from './local-wandb.js';

export type BoardTarget = { entity: string; project: string; artifact: string; latestTag: string };

export type TablesRun = {
  displayName: string;
  state: string;
  tags: string[];
  historyLineCount: number;
  /** File name → md5: what the dashboard renders. */
  files: Record<string, string>;
  /** The summary without the `_step`/`_runtime`/`_timestamp`/`_wandb` stamps (wall-clock time). */
  summary: Record<string, unknown>;
};

export type Board = {
  /** The version the `latest` alias points at: what the next job merges onto. */
  latestVersion: number | undefined;
  /** Every committed dataset version, oldest first, as its CSV lines (header first). */
  versions: string[][];
  /** The runs holding the latest tag: name and their other tags. */
  latest: { name: string; tags: string[] }[];
  /** What the runs holding the latest tag show: their other tags, `Tables_<T>` date and dataset version. */
  shown: { tags: string[]; target: string | undefined; version: number }[];
  /** The `update-table` runs by name. */
  tables: Record<string, TablesRun>;
};

type RunsData = {
  project: {
    runs: {
      edges: {
        node: {
          name: string;
          displayName: string;
          jobType: string | null;
          state: string;
          tags: string[];
          historyLineCount: number;
          summaryMetrics: string;
          files: { edges: { node: { name: string; md5: string } }[] };
        };
      }[];
    };
  };
};

export async function readBoard(url: string, apiKey: string, target: BoardTarget): Promise<Board> {
  const wandb = createWandbClient({ baseUrl: url, apiKey });
  const versions: string[][] = [];
  for (let v = 0; ; v++) {
    const text = await readDatasetText(wandb, target, `v${v}`);
    if (text === undefined) break;
    versions.push(text.trimEnd().split('\n'));
  }
  const latestVersion = (await latestArtifactVersion(wandb, { ...target, name: target.artifact }))
    ?.versionIndex;
  const holders = await listRunsByTag(wandb, target.entity, target.project, target.latestTag);
  const otherTags = (tags: readonly string[]) => tags.filter((t) => t !== target.latestTag).sort();
  const byTags = (a: { tags: string[] }, b: { tags: string[] }) => a.tags.join().localeCompare(b.tags.join());
  const latest = holders.map((r) => ({ name: r.name, tags: otherTags(r.tags) })).sort(byTags);
  const shown = holders
    .map(tablesRunOf)
    .map((r) => ({ tags: otherTags(r.tags), target: r.target, version: r.version }))
    .sort(byTags);
  const query = () =>
    gql(
      url,
      `query ($entity: String!, $project: String!) { project(name: $project, entityName: $entity) {
      runs(first: 100) { edges { node { name displayName jobType state tags historyLineCount summaryMetrics
        files(first: 100) { edges { node { name md5 } } } } } } } }`,
      { entity: target.entity, project: target.project },
      { key: apiKey },
    );
  // A server injecting faults (429/5xx) may fail this read too: try it again, as the client does its own.
  let res = await query();
  for (let attempt = 1; attempt < 10 && (res.status === 429 || res.status >= 500); attempt++)
    res = await query();
  if (res.status !== 200 || res.body.errors)
    throw new Error(`runs query failed: ${JSON.stringify(res.body)}`);
  const data = res.body.data as RunsData;
  const tables: Record<string, TablesRun> = {};
  for (const { node } of data.project.runs.edges) {
    if (node.jobType !== 'update-table') continue;
    const summary = JSON.parse(node.summaryMetrics) as Record<string, unknown>;
    tables[node.name] = {
      displayName: node.displayName,
      state: node.state,
      tags: [...node.tags].sort(),
      historyLineCount: node.historyLineCount,
      files: Object.fromEntries(node.files.edges.map((e) => [e.node.name, e.node.md5])),
      summary: Object.fromEntries(Object.entries(summary).filter(([key]) => !key.startsWith('_'))),
    };
  }
  return { latestVersion, versions, latest, shown, tables };
}

/** `date,company_name,project,run_id` of a data line: the merge key. */
export const rowKey = (line: string): string => line.split(',').slice(0, 4).join(',');
