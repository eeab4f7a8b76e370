import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// The binary loads the embedded W&B world (src/world/) only for the commands that need it: the nightly
// job's start-up reads none of the local server, fleet generator or demo.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gpu-dashboard-loads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `gpu-dashboard <args>` from source; returns the repository files it loaded, relative to the root. */
async function loadedFiles(args: string[]): Promise<string[]> {
  const out = join(dir, `${args.join('_').replace(/[^a-z-]/g, '')}.txt`);
  await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--import', './test/helpers/record-loads.mjs', 'src/main.ts', ...args],
    { cwd: ROOT, env: { ...process.env, RECORD_LOADS: out } },
  );
  return readFileSync(out, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith('file://'))
    .map((url) => fileURLToPath(url.split('?')[0] as string))
    .filter((path) => path.startsWith(ROOT) && !path.includes('node_modules'))
    .map((path) => path.slice(ROOT.length));
}

describe('what the binary loads', () => {
  it.each([
    [['--version']],
    [['run', '--help']],
    [['check', '--help']],
  ])('gpu-dashboard %j loads product modules and no module of the W&B world', async (args) => {
    const files = await loadedFiles(args);
    expect(files).toContain('src/main.ts');
    expect(files.filter((f) => f.startsWith('src/product/')).length).toBeGreaterThan(0);
    expect(files.filter((f) => f.startsWith('src/world/'))).toEqual([]);
  });

  it('loads the world for a world command and for the whole help (the recorder sees world files)', async () => {
    for (const args of [['local-server', '--help'], ['--help']]) {
      const files = await loadedFiles(args);
      expect(files).toContain('src/world/cli/commands.ts');
    }
  });
});
