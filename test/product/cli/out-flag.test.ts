import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ORIGINAL_HEADER } from '../../helpers/dataset-header.js';
import { runCliCaptured } from '../../helpers/run-cli.js';

const CONFIG = `
dashboard: { entity: d, project: p }
dataset: { entity: d, project: p }
companies:
  - company: alpha
    teams: [alpha-team]
    schedule: [{ date: "2025-01-08", assigned_gpu_node: 1 }]
`;
const HEADER = ORIGINAL_HEADER;
// Nothing listens on port 9 (discard): a command that reached W&B would fail with exit 1, not 2.
const OFFLINE = { WANDB_BASE_URL: 'http://127.0.0.1:9', WANDB_API_KEY: 'k'.repeat(40) };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'out-flag-'));
  await writeFile(join(dir, 'config.yaml'), CONFIG);
  await writeFile(join(dir, 'a-file'), 'not a directory\n');
  await mkdir(join(dir, 'a-dir'));
  await writeFile(
    join(dir, 'dataset.csv'),
    `${HEADER}\n2025-01-09,alpha-team,p,r1,[],2025-01-09T01:00:00,2025-01-09T13:00:00,finished,12.0,8,,,,,h,2025-01-10T00:15:00\n`,
  );
});

const TABLES = ['tables', '--dataset', 'dataset.csv', '--config', 'config.yaml', '--date', '2025-01-09'];
const RUN = ['run', '--config', 'config.yaml', '--start-date', '2025-01-09', '--end-date', '2025-01-09'];
const CHECK = ['check', '--config', 'config.yaml', '--date', '2025-01-09'];
const FLEET = ['generate-fleet', '--size', 'small', '--config', 'config.yaml'];

describe('output paths are checked before any work (exit 2)', () => {
  it.each([
    ['tables --out on a file', [...TABLES, '--out', 'a-file'], /--out: \S*\/a-file is not a directory/],
    [
      'tables --out under a file',
      [...TABLES, '--out', 'a-file/tables'],
      /--out: \S*\/a-file\/tables cannot be created: \S*\/a-file is not a directory/,
    ],
    ['run --out on a file', [...RUN, '--out', 'a-file'], /--out: \S*\/a-file is not a directory/],
    ['run --dry-run --out under a file', [...RUN, '--dry-run', '--out', 'a-file/x/y'], /cannot be created/],
    ['check --out on a file', [...CHECK, '--out', 'a-file'], /--out: \S*\/a-file is not a directory/],
    ['generate-fleet --out on a directory', [...FLEET, '--out', 'a-dir'], /--out: \S*\/a-dir is a directory/],
    [
      'generate-fleet --out in a missing directory',
      [...FLEET, '--out', 'nowhere/fleet.json'],
      /--out: \S*\/nowhere\/fleet\.json cannot be written: \S*\/nowhere does not exist/,
    ],
    [
      'generate-fleet --manifest-out under a file',
      [...FLEET, '--out', 'fleet.json', '--manifest-out', 'a-file/manifest.json'],
      /--manifest-out: \S*\/a-file\/manifest\.json cannot be written: \S*\/a-file is not a directory/,
    ],
    [
      'generate-fleet --config-out on a directory',
      [...FLEET, '--out', 'fleet.json', '--config-out', 'a-dir'],
      /--config-out: \S*\/a-dir is a directory/,
    ],
  ])('%s', async (_name, argv, message) => {
    const result = await runCliCaptured(argv, { cwd: dir, env: OFFLINE });
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
  });

  it('writes nothing when it refuses (generate-fleet planned no fleet)', async () => {
    const before = (await readdir(dir)).sort();
    await runCliCaptured([...FLEET, '--out', 'refused.json', '--manifest-out', 'a-file/m.json'], {
      cwd: dir,
    });
    expect((await readdir(dir)).sort()).toEqual(before);
  });

  it('creates an --out directory that does not exist yet, parents included', async () => {
    const result = await runCliCaptured([...TABLES, '--out', 'new/nested'], { cwd: dir });
    expect(result.code).toBe(0);
    expect((await readdir(join(dir, 'new', 'nested'))).sort()).toEqual([
      'allocation_outlook.csv',
      'daily.csv',
      'monthly.csv',
      'overall.csv',
      'summary.csv',
      'user_usage.csv',
      'weekly.csv',
    ]);
  });

  // /proc/sys takes no new entries from anyone, root included (a chmod'ed directory would stop only
  // other users), so the case runs the same as root and in CI.
  it('refuses a directory it may not write to', async () => {
    const into = await runCliCaptured([...TABLES, '--out', '/proc/sys'], { cwd: dir });
    const under = await runCliCaptured([...TABLES, '--out', '/proc/sys/gpu-dashboard-out'], { cwd: dir });
    expect([into.code, under.code]).toEqual([2, 2]);
    expect(into.stderr).toContain('--out: /proc/sys is not writable');
    expect(under.stderr).toContain(
      '--out: /proc/sys/gpu-dashboard-out cannot be created: /proc/sys is not writable',
    );
  });
});
