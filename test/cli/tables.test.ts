import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from './run-cli.js';

const HEADER =
  'date,company_name,project,run_id,tags,created_at,updated_at,state,duration_hour,gpu_count,average_gpu_utilization,average_gpu_memory,max_gpu_utilization,max_gpu_memory,host_name,logged_at';
const CONFIG = `
dashboard: { entity: d, project: p }
dataset: { entity: d, project: p }
companies:
  - company: alpha
    teams: [alpha-team]
    schedule: [{ date: "2025-01-08", assigned_gpu_node: 1 }]
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tables-cli-'));
  await writeFile(join(dir, 'config.yaml'), CONFIG);
  await writeFile(join(dir, 'bad-config.yaml'), CONFIG.replace('2025-01-08', '2025-01-32'));
  // Jan 9: 12 h × 8 GPUs = 96 of 192 h → 50 %; util weighted (60·12) / 12 = 60.
  await writeFile(
    join(dir, 'dataset.csv'),
    `${HEADER}\n2025-01-09,alpha-team,p,r1,[],2025-01-09T01:00:00,2025-01-09T13:00:00,finished,12.0,8,60.0,30.0,80.0,40.0,h,2025-01-10T00:15:00\n`,
  );
  await writeFile(
    join(dir, 'bad.csv'),
    `${HEADER}\n2025-01-09,alpha-team,p,r1,[],2025-01-09T01:00:00,2025-01-09T13:00:00,finished,twelve,8,,,,,h,2025-01-10T00:15:00\n`,
  );
});

describe('gpu-dashboard tables', () => {
  it('writes the five tables with the hand-computed daily row', async () => {
    const out = join(dir, 'out');
    const result = await runCliCaptured(
      ['tables', '--dataset', 'dataset.csv', '--config', 'config.yaml', '--date', '2025-01-09', '--out', out],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'daily.csv',
      'monthly.csv',
      'overall.csv',
      'summary.csv',
      'weekly.csv',
    ]);
    const daily = await readFile(join(out, 'daily.csv'), 'utf8');
    expect(daily.split('\n')[1]).toBe('alpha,2025-01-09,96.0,50.0,60.0,80.0,30.0,40.0,1,1,192,96.0,12.0');
    expect(daily.charCodeAt(0)).not.toBe(0xfeff);
    expect((await readFile(join(out, 'summary.csv'), 'utf8')).split('\n')[1]).toBe(
      'alpha-team,p,96.00,1,0,0,0',
    );
  });

  it.each([
    ['a bad date', ['--date', '2025-02-29'], /--date: "2025-02-29" is not a calendar date/],
    ['a missing flag', [], /required option '--date/],
    [
      'a bad config',
      ['--date', '2025-01-09', '--config', 'bad-config.yaml'],
      /companies\[0\]\.schedule\[0\]\.date: must be a calendar date/,
    ],
    [
      'a malformed dataset row',
      ['--date', '2025-01-09', '--dataset', 'bad.csv'],
      /bad\.csv \(line 2, column duration_hour\): not a number: "twelve"/,
    ],
    [
      'a missing dataset',
      ['--date', '2025-01-09', '--dataset', 'nope.csv'],
      /nope\.csv: cannot read the file \(ENOENT\)/,
    ],
  ])('exits 2 on %s, naming it', async (_name, args, message) => {
    const defaults = {
      '--dataset': 'dataset.csv',
      '--config': 'config.yaml',
      '--out': join(dir, 'err-out'),
    } as Record<string, string>;
    for (let i = 0; i < args.length; i += 2) defaults[args[i]!] = args[i + 1]!;
    const argv =
      args.length === 0
        ? ['tables', '--dataset', 'dataset.csv', '--out', 'x']
        : ['tables', ...Object.entries(defaults).flat()];
    const result = await runCliCaptured(argv, { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('--help exits 0 and shows an example', async () => {
    const result = await runCliCaptured(['tables', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Example:');
  });
});
