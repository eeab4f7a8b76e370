import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ORIGINAL_HEADER } from '../../helpers/dataset-header.js';
import { runCliCaptured } from '../../helpers/run-cli.js';

// --out is proven by writing there before any work (root passes access() on /proc, where nothing can be
// made): refused with exit 2 naming the flag, before the job publishes anything. A write that still fails
// at the end names the flag too, and never hangs (Node's recursive mkdir spins forever on /proc/x).
const CONFIG = `
dashboard: { entity: d, project: p }
dataset: { entity: d, project: p }
companies:
  - company: alpha
    teams: [alpha-team]
    schedule: [{ date: "2025-01-08", assigned_gpu_node: 1 }]
`;
const HEADER = ORIGINAL_HEADER;
// Nothing listens on port 9: a command that got past its checks would fail on W&B (exit 1), not 2.
const OFFLINE = { WANDB_BASE_URL: 'http://127.0.0.1:9', WANDB_API_KEY: 'k'.repeat(40) };
const instant = async () => {};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'out-probe-'));
  await writeFile(join(dir, 'config.yaml'), CONFIG);
  await writeFile(
    join(dir, 'dataset.csv'),
    `${HEADER}\n2025-01-09,alpha-team,p,r1,[],2025-01-09T01:00:00,2025-01-09T13:00:00,finished,12.0,8,,,,,h,2025-01-10T00:15:00\n`,
  );
});

const RUN = ['run', '--config', 'config.yaml', '--start-date', '2025-01-09', '--end-date', '2025-01-09'];
const CHECK = ['check', '--config', 'config.yaml', '--date', '2025-01-09'];
const TABLES = ['tables', '--dataset', 'dataset.csv', '--config', 'config.yaml', '--date', '2025-01-09'];
const REPORT = ['report', '--config', 'config.yaml'];
const HINT = 'pass a directory this process can write to';

describe('--out is written to before any work (exit 2, naming the flag)', () => {
  it.each([
    [
      'run --out /proc/x',
      [...RUN, '--out', '/proc/x'],
      '--out: /proc/x cannot be created: /proc is not writable (ENOENT',
    ],
    [
      'run --dry-run --out /proc/x/y',
      [...RUN, '--dry-run', '--out', '/proc/x/y'],
      '--out: /proc/x/y cannot be created: /proc is not writable (ENOENT',
    ],
    [
      'check --out /proc/x',
      [...CHECK, '--out', '/proc/x'],
      '--out: /proc/x cannot be created: /proc is not writable (ENOENT',
    ],
    [
      'tables --out /proc/x',
      [...TABLES, '--out', '/proc/x'],
      '--out: /proc/x cannot be created: /proc is not writable (ENOENT',
    ],
    ['tables --out /proc', [...TABLES, '--out', '/proc'], '--out: /proc is not writable (ENOENT'],
    [
      'report --out /proc/self/status',
      [...REPORT, '--out', '/proc/self/status'],
      /--out: \/proc\/self\/status cannot be written: \/proc\/\d+ is not writable \(ENOENT/,
    ],
    [
      'report --out /dev/null',
      [...REPORT, '--out', '/dev/null'],
      '--out: /dev/null is not a regular file (a device, pipe or socket); pass the path of a file to write',
    ],
  ])(
    '%s',
    async (_name, argv, message) => {
      const started = performance.now();
      const result = await runCliCaptured(argv, { cwd: dir, env: OFFLINE, sleep: instant });
      if (typeof message === 'string') expect(result.stderr).toContain(message);
      else expect(result.stderr).toMatch(message);
      if (!argv.includes('/dev/null')) expect(result.stderr).toContain(HINT);
      // Nothing ran: no job event, no W&B request (which would have failed with exit 1).
      expect(result.stderr).not.toMatch(/"event":"(pipeline|tracker|wandb|check)\./);
      expect(result.code).toBe(2);
      expect(performance.now() - started).toBeLessThan(5000);
    },
    30_000,
  );

  it('leaves no probe behind, in the --out directory or where it will be made', async () => {
    const out = join(dir, 'kept');
    await mkdir(out);
    expect((await runCliCaptured([...TABLES, '--out', 'kept'], { cwd: dir })).code).toBe(0);
    expect((await runCliCaptured([...TABLES, '--out', 'new/nested'], { cwd: dir })).code).toBe(0);
    const names = [...(await readdir(dir)), ...(await readdir(out)), ...(await readdir(join(dir, 'new')))];
    expect(names.filter((n) => n.includes('probe'))).toEqual([]);
  });
});

describe('a write that fails at the end names the flag (exit 1)', () => {
  it('tables --out where a table file cannot be replaced', async () => {
    const out = join(dir, 'blocked');
    // A directory where daily.csv goes: the directory is writable, the rename over it is not.
    await mkdir(join(out, 'daily.csv'), { recursive: true });
    const result = await runCliCaptured([...TABLES, '--out', 'blocked'], { cwd: dir });
    expect(result.stderr).toMatch(new RegExp(`OutputError: --out: cannot write ${out} \\(EISDIR`));
    expect(result.code).toBe(1);
  });
});
