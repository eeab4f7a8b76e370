// `check` reads the months T needs, not the whole history (docs/behaviour.md §14): T's month and its
// trailing week, and the months back to the start of T's runs, so `no_metrics` still sees a run's earlier
// days. An old month it has no reason to read (here: one that would not even parse) is never read.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../../src/product/checker/types.js';
import type { LocalWandb } from '../../../src/world/local-wandb/listen.js';
import { checkAgainst } from '../../helpers/check-now.js';
import { ORIGINAL_HEADER } from '../../helpers/dataset-header.js';
import { API_KEY, startTestServer, tempDir } from '../../helpers/local-wandb.js';

const HEADER = ORIGINAL_HEADER;
const CONFIG = `
timezone: Asia/Tokyo
dashboard: { entity: dash, project: board, tag_for_latest: latest }
dataset: { entity: dash, project: board, artifact_name: all_runs_data }
companies:
  - company: alpha
    teams: [alpha-team]
    schedule: [{ date: "2024-12-01", assigned_gpu_node: 1 }]
`;
const row = (date: string, run: string, created: string, updated: string, hours: string, util: string) =>
  `${date},alpha-team,llm,${run},[],${created},${updated},finished,${hours},8,${util},${util && '20.0'},${util && '60.0'},${util && '30.0'},node-1,2025-01-10T06:00:00.000000`;
// `long` began on Dec 30 and had metrics then; on Jan 9 it has none. `bare` ran on Jan 9 only, without any.
const LONG = ['2024-12-30T10:00:00.000000', '2025-01-09T12:00:00.000000'] as const;
const FILES = {
  'all_runs_data/2024-06.csv': 'this is not,a dataset\n"unclosed\n',
  'all_runs_data/2024-12.csv': `${HEADER}\n${row('2024-12-30', 'long', ...LONG, '14.0', '50.0')}\n`,
  'all_runs_data/2025-01.csv': [
    HEADER,
    row('2025-01-09', 'bare', '2025-01-09T01:00:00.000000', '2025-01-09T05:00:00.000000', '4.0', ''),
    row('2025-01-09', 'long', ...LONG, '12.0', ''),
    '',
  ].join('\n'),
};

let server: LocalWandb;
let report: CheckReport;
beforeAll(async () => {
  const dir = await tempDir('check-months-');
  await writeFile(join(dir, 'config.yaml'), CONFIG);
  const seed = {
    entities: [{ name: 'alpha-team' }, { name: 'dash' }],
    projects: [{ entity: 'dash', name: 'board', createdAt: '2024-12-01T00:00:00' }],
    runs: [],
    artifacts: [{ entity: 'dash', project: 'board', name: 'all_runs_data', type: 'dataset', files: FILES }],
  };
  await writeFile(join(dir, 'seed.json'), JSON.stringify(seed));
  server = await startTestServer({ seed: join(dir, 'seed.json') });
  report = await checkAgainst(
    server,
    API_KEY,
    join(dir, 'config.yaml'),
    '2025-01-09',
    '2025-01-10T00:00:00Z',
  );
}, 60_000);
afterAll(() => server?.close());

describe('check on a dataset kept as month files', () => {
  it('never reads a month it does not need', () => {
    expect(report.checks.anomalies).not.toBe('unreachable');
    expect(report.checks.duplicate_init).not.toBe('unreachable');
  });

  it("reads back to the start of T's runs: a run with metrics on an earlier day is not without metrics", () => {
    const noMetrics = report.findings.filter((f) => f.kind === 'no_metrics');
    expect(noMetrics.map((f) => f.details?.runs)).toEqual([['llm/bare']]);
  });
});
