import { mkdtemp, writeFile } from 'node:fs/promises';
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

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'log-level-'));
  await writeFile(join(dir, 'config.yaml'), CONFIG);
  await writeFile(
    join(dir, 'dataset.csv'),
    `${HEADER}\n2025-01-09,alpha-team,p,r1,[],2025-01-09T01:00:00,2025-01-09T13:00:00,finished,12.0,8,,,,,h,2025-01-10T00:15:00\n`,
  );
});

const TABLES = [
  'tables',
  '--dataset',
  'dataset.csv',
  '--config',
  'config.yaml',
  '--date',
  '2025-01-09',
  '--out',
  'out',
];

/** The levels of the JSON log lines on stderr (stderr is not a terminal here). */
function levels(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { level: string }).level);
}

// `tables` has no --verbose flag (it reads no network); run and check take --verbose (see run-prior-cells.test.ts).
describe('LOG_LEVEL', () => {
  it.each([
    ['unset', {}, ['info']],
    ['debug', { LOG_LEVEL: 'debug' }, ['debug', 'debug', 'info']],
    ['WARN', { LOG_LEVEL: 'WARN' }, []],
  ])('LOG_LEVEL %s', async (_name, env, expected) => {
    const result = await runCliCaptured(TABLES, { cwd: dir, env });
    expect(result.code).toBe(0);
    expect(levels(result.stderr)).toEqual(expected);
  });

  it('at debug, a line says what the command read', async () => {
    const result = await runCliCaptured(TABLES, { cwd: dir, env: { LOG_LEVEL: 'debug' } });
    const events = result.stderr
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.find((e) => e.event === 'tables.dataset_read')).toMatchObject({ level: 'debug', rows: 1 });
  });

  it('exits 2 on a LOG_LEVEL that names no level', async () => {
    const result = await runCliCaptured(TABLES, { cwd: dir, env: { LOG_LEVEL: 'loud' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('LOG_LEVEL: "loud" is not one of debug, info, warn, error');
  });
});
