import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/product/cli/program.js';
import { addLocalServerCommand } from '../../../src/world/cli/local-server.js';
import { fixedClock } from '../../helpers/fakes.js';
import { API_KEY, basicAuth, tempDir } from '../../helpers/local-wandb.js';

async function cli(argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const io = {
    stdout,
    stderr,
    env: {},
    clock: fixedClock('2024-11-03T00:00:00Z'),
    isTty: false,
    cwd: process.cwd(),
  };
  const code = await runCli(argv, io, [addLocalServerCommand]);
  return { code, out, err };
}

describe('gpu-dashboard local-server', () => {
  it('documents its flags in --help', async () => {
    const { code, out } = await cli(['local-server', '--help']);
    expect(code).toBe(0);
    for (const flag of [
      '--port',
      '--data-dir',
      '--seed',
      '--api-key',
      '--latency-ms',
      '--fault-rate',
      '--fault-seed',
    ])
      expect(out).toContain(flag);
  });

  it.each([
    [
      'a seed file that does not exist',
      async (dir: string) => join(dir, 'missing.json'),
      /missing\.json: cannot read seed file/,
    ],
    [
      'a seed file that is not JSON',
      async (dir: string) => write(dir, '{ nope'),
      /seed\.json: seed file is not JSON/,
    ],
    [
      'a seed file with a bad run date',
      async (dir: string) =>
        write(
          dir,
          JSON.stringify({
            runs: [
              {
                entity: 'e',
                project: 'p',
                name: 'r',
                createdAt: 'yesterday',
                heartbeatAt: '2024-11-03T00:00:00',
              },
            ],
          }),
        ),
      /seed\.json: invalid seed: runs\.0\.createdAt: not an ISO date-time/,
    ],
  ])('exits 2 naming %s', async (_label, makeSeed, message) => {
    const dir = await tempDir();
    const seed = await makeSeed(dir);
    const { code, err } = await cli(['local-server', '--data-dir', join(dir, 'data'), '--seed', seed]);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it('exits 2 naming an unwritable data dir', async () => {
    const dir = await tempDir();
    const file = await write(dir, 'not a directory');
    const { code, err } = await cli(['local-server', '--data-dir', join(file, 'data')]);
    expect(code).toBe(2);
    expect(err).toContain(`${join(file, 'data')}: data dir is not writable`);
  });

  it('exits 2 on a fault rate outside [0, 1]', async () => {
    expect((await cli(['local-server', '--fault-rate', '2'])).code).toBe(2);
  });

  it('prints "listening on" first, serves, and exits 0 on SIGTERM', async () => {
    const dir = await tempDir();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join('test', 'helpers', 'cli-child.ts'), 'local-server', '--data-dir', dir],
      {
        env: { ...process.env, WANDB_API_KEY: API_KEY },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((done) => child.on('close', done));
    const firstLine = await new Promise<string>((done) => {
      let text = '';
      child.stdout.on('data', (c: Buffer) => {
        text += c.toString();
        if (text.includes('\n')) done(text.split('\n')[0] ?? '');
      });
    });
    expect(firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = firstLine.replace('listening on ', '');
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { Authorization: basicAuth(API_KEY), 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: '{ viewer { entity } }' }),
    });
    expect(await res.json()).toEqual({ data: { viewer: { entity: 'local' } } });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

async function write(dir: string, text: string): Promise<string> {
  const path = join(dir, 'seed.json');
  await writeFile(path, text);
  return path;
}
