import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_CELL_CHARS, MAX_RECORD_BYTES } from '../../../src/product/uploader/text-bounds.js';
import { ORIGINAL_HEADER } from '../../helpers/dataset-header.js';
import { readableErrors, runCliCaptured } from '../../helpers/run-cli.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** Start-up (tsx compiles the sources) takes a few seconds on a busy machine; the read itself is instant. */
const DEV_ZERO_TIMEOUT_MS = 20_000;

/** `gpu-dashboard <args> --out <out>` from source in a child process, killed after `timeoutMs`. */
function runBinary(
  args: string[],
  options: { timeoutMs: number; out: string },
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', ...args, '--out', options.out],
      { cwd: ROOT, timeout: options.timeoutMs, killSignal: 'SIGKILL' },
      (_error, _stdout, stderr) =>
        done({ code: child.exitCode, signal: child.signalCode, stderr: readableErrors(stderr) }),
    );
  });
}

const HEADER = ORIGINAL_HEADER;
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
  // CONFIG ends on line 7 (line 1 is empty): the repeated key is on line 9.
  await writeFile(join(dir, 'repeated-key.yaml'), `${CONFIG}max_workers: 2\nmax_workers: 3\n`);
  const laughs = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (const [prev, next] of ['ab', 'bc', 'cd', 'de', 'ef']) {
    laughs.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(', ')}]`);
  }
  await writeFile(join(dir, 'alias-bomb.yaml'), `${CONFIG}${laughs.join('\n')}\n`);
  await writeFile(
    join(dir, 'bad-glob.yaml'),
    CONFIG.replace('teams: [alpha-team]', 'teams: [alpha-team]\n    ignore_project_pattern: "tmp-["'),
  );
  // Jan 9: 12 h × 8 GPUs = 96 of 192 h → 50 %; util weighted (60·12) / 12 = 60.
  await writeFile(
    join(dir, 'dataset.csv'),
    `${HEADER}\n2025-01-09,alpha-team,p,r1,[],2025-01-09T01:00:00,2025-01-09T13:00:00,finished,12.0,8,60.0,30.0,80.0,40.0,h,2025-01-10T00:15:00\n`,
  );
  // 2024-11-03 has 25 hours in New York (clocks go back) and 24 in Tokyo.
  await writeFile(join(dir, 'config-ny.yaml'), `timezone: America/New_York\n${CONFIG}`);
  await writeFile(
    join(dir, 'fall-back.csv'),
    `${HEADER}\n2024-11-03,alpha-team,p,r1,[],2024-11-03T00:00:00,2024-11-04T00:00:00,finished,25.0,8,,,,,h,2024-11-04T00:15:00\n`,
  );
  const row = (cells: string) =>
    `${HEADER}\n2025-01-09,alpha-team,p,r1,[],2025-01-09T01:00:00,2025-01-09T13:00:00,finished,${cells},2025-01-10T00:15:00\n`;
  await writeFile(join(dir, 'hot.csv'), row('12.0,8,60.0,30.0,101.0,40.0,h'));
  await writeFile(join(dir, 'negative.csv'), row('12.0,-8,60.0,30.0,80.0,40.0,h'));
  await writeFile(join(dir, 'infinite.csv'), row('1e999,8,60.0,30.0,80.0,40.0,h'));
  // "café" as Latin-1 writes é as the single byte 0xe9, which is not UTF-8.
  await writeFile(join(dir, 'latin1.csv'), Buffer.from(row('12.0,8,60.0,30.0,80.0,40.0,café'), 'latin1'));
  await writeFile(join(dir, 'gpus-1e20.csv'), row('12.0,1e20,60.0,30.0,80.0,40.0,h'));
  // 1e308 GPUs × 12 h overflows to Infinity: the tables showed 0.0 GPU hours.
  await writeFile(join(dir, 'gpus-1e308.csv'), row('12.0,1e308,60.0,30.0,80.0,40.0,h'));
  await writeFile(join(dir, 'nul.csv'), row('12.0,8,60.0,30.0,80.0,40.0,h\u0000'));
  // 12 h × 8 GPUs in project `name` (a CSV cell as written).
  const inProject = (name: string) =>
    `2025-01-09,alpha-team,${name},r1,[],2025-01-09T01:00:00,2025-01-09T13:00:00,finished,12.0,8,,,,,h,2025-01-10T00:15:00\n`;
  await writeFile(join(dir, 'long-cell.csv'), `${HEADER}\n${inProject('p'.repeat(MAX_CELL_CHARS + 1))}`);
  // Stands for the 200 MB cell: the read stops at the record bound whatever follows.
  await writeFile(join(dir, 'long-record.csv'), `${HEADER}\n${inProject('p'.repeat(2 * MAX_RECORD_BYTES))}`);
  const formulas = ['"=HYPERLINK(""https://evil.example"",""x"")"', '-2+3', '@SUM(A1)'];
  await writeFile(join(dir, 'formulas.csv'), `${HEADER}\n${formulas.map(inProject).join('')}`);
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
      'allocation_outlook.csv',
      'daily.csv',
      'monthly.csv',
      'overall.csv',
      'summary.csv',
      'user_usage.csv',
      'weekly.csv',
    ]);
    const daily = await readFile(join(out, 'daily.csv'), 'utf8');
    expect(daily.split('\n')[1]).toBe(
      // §13: busy 12 h × 8 GPUs × 60 % = 57.6; idle 192 − 96 = 96; nothing unmeasured; 57.6 / 192 = 30 %.
      'alpha,2025-01-09,96.0,50.0,60.0,80.0,30.0,40.0,1,1,192,96.0,12.0,57.6,96.0,0.0,30.0',
    );
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
      'a YAML syntax error',
      ['--date', '2025-01-09', '--config', 'repeated-key.yaml'],
      /repeated-key\.yaml: invalid configuration\n {2}line 9:1: Map keys must be unique/,
    ],
    [
      'an alias bomb',
      ['--date', '2025-01-09', '--config', 'alias-bomb.yaml'],
      /ConfigError: .*alias-bomb\.yaml: invalid configuration\n {2}\(root\): aliases expand past the limit of 100/,
    ],
    [
      'a malformed glob',
      ['--date', '2025-01-09', '--config', 'bad-glob.yaml'],
      /companies\[0\]\.ignore_project_pattern: invalid glob: Missing closing: "\]"/,
    ],
    [
      'a malformed dataset row',
      ['--date', '2025-01-09', '--dataset', 'bad.csv'],
      /bad\.csv \(line 2, column duration_hour\): not a number: "twelve"/,
    ],
    [
      'a day longer than 24 hours in Tokyo',
      ['--date', '2024-11-03', '--dataset', 'fall-back.csv'],
      /fall-back\.csv \(line 2, column duration_hour\): not within \[0, 24\], the hours of 2024-11-03 in Asia\/Tokyo: "25\.0"/,
    ],
    [
      'a utilisation over 100 %',
      ['--date', '2025-01-09', '--dataset', 'hot.csv'],
      /hot\.csv \(line 2, column max_gpu_utilization\): not within \[0, 100\]: "101\.0"/,
    ],
    [
      'a negative GPU count',
      ['--date', '2025-01-09', '--dataset', 'negative.csv'],
      /negative\.csv \(line 2, column gpu_count\): must not be negative: "-8"/,
    ],
    [
      'an infinite duration',
      ['--date', '2025-01-09', '--dataset', 'infinite.csv'],
      /infinite\.csv \(line 2, column duration_hour\): not a finite number: "1e999"/,
    ],
    [
      'bytes that are not UTF-8',
      ['--date', '2025-01-09', '--dataset', 'latin1.csv'],
      /latin1\.csv \(line 2, column host_name\): not valid UTF-8/,
    ],
    [
      'a GPU count of 1e20',
      ['--date', '2025-01-09', '--dataset', 'gpus-1e20.csv'],
      /gpus-1e20\.csv \(line 2, column gpu_count\): more than the 100000 GPUs a run can have: "1e20"/,
    ],
    [
      'a GPU count of 1e308',
      ['--date', '2025-01-09', '--dataset', 'gpus-1e308.csv'],
      /gpus-1e308\.csv \(line 2, column gpu_count\): more than the 100000 GPUs a run can have: "1e308"/,
    ],
    [
      'a cell longer than the cell bound',
      ['--date', '2025-01-09', '--dataset', 'long-cell.csv'],
      /long-cell\.csv \(line 2, column project\): a cell of 65537 characters, longer than the 65536 a cell may hold/,
    ],
    [
      'a record longer than the record bound',
      ['--date', '2025-01-09', '--dataset', 'long-record.csv'],
      /long-record\.csv \(line 2, column project\): a record longer than 1048576 bytes/,
    ],
    [
      'a NUL byte',
      ['--date', '2025-01-09', '--dataset', 'nul.csv'],
      /nul\.csv \(line 2, column host_name\): a NUL byte, which CSV text never holds/,
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

  it('reads the dates in the config’s time zone: 25 hours fit 2024-11-03 in New York', async () => {
    const out = join(dir, 'out-ny');
    const result = await runCliCaptured(
      [
        'tables',
        '--dataset',
        'fall-back.csv',
        '--config',
        'config-ny.yaml',
        '--date',
        '2024-11-03',
        '--out',
        out,
      ],
      { cwd: dir },
    );
    expect(result.stderr).not.toContain('InputError');
    expect(result.code).toBe(0);
  });

  it('writes text cells that start like a spreadsheet formula with a leading quote, numbers as they are', async () => {
    const out = join(dir, 'out-formulas');
    const argv = ['tables', '--dataset', 'formulas.csv', '--config', 'config.yaml', '--date', '2025-01-09'];
    const result = await runCliCaptured([...argv, '--out', out], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const summary = (await readFile(join(out, 'summary.csv'), 'utf8')).trimEnd().split('\n');
    expect(summary.slice(1).sort()).toEqual([
      `alpha-team,"'=HYPERLINK(""https://evil.example"",""x"")",96.00,1,0,0,0`,
      "alpha-team,'-2+3,96.00,1,0,0,0",
      "alpha-team,'@SUM(A1),96.00,1,0,0,0",
    ]);
  });

  it('ends on /dev/zero within seconds with exit 2, naming the file and line 1', async () => {
    const started = Date.now();
    const child = await runBinary(
      ['tables', '--dataset', '/dev/zero', '--config', join(dir, 'config.yaml'), '--date', '2025-01-01'],
      { timeoutMs: DEV_ZERO_TIMEOUT_MS, out: join(dir, 'out-zero') },
    );
    expect(child.signal, 'killed: the read did not end').toBeNull();
    expect(child.code).toBe(2);
    expect(child.stderr).toContain('/dev/zero (line 1, column 1): not CSV text (NUL bytes)');
    expect(Date.now() - started).toBeLessThan(DEV_ZERO_TIMEOUT_MS);
  });

  it('--help exits 0 and shows an example', async () => {
    const result = await runCliCaptured(['tables', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Example:');
  });
});
