import { mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputError, writeOutputFile, writeOutputs } from '../../../src/product/cli/out-path.js';

// The end of a command: outputs are written where the checks proved it possible, and when that still
// fails (the place changed meanwhile) the error names the flag, and it ends rather than hangs.
describe('writeOutputs', () => {
  it.each([
    ['/proc/gpu-dashboard-x', 'ENOENT'],
    ['/proc/gpu-dashboard-x/y/z', 'ENOENT'],
    ['/dev/null/x', 'ENOTDIR'],
  ])(
    'fails on %s with an OutputError naming the flag (%s), without hanging',
    async (dir, code) => {
      const write = writeOutputs('--out', dir, async () => {});
      await expect(write).rejects.toThrow(OutputError);
      await expect(write).rejects.toThrow(`--out: cannot write ${dir} (${code}`);
    },
    5000,
  );

  it('makes each missing level and then writes', async () => {
    const root = await mkdtemp(join(tmpdir(), 'out-path-'));
    const dir = join(root, 'a', 'b');
    await writeOutputs('--out', dir, () => writeFile(join(dir, 'x.csv'), 'x\n'));
    expect(await readdir(dir)).toEqual(['x.csv']);
  });
});

describe('writeOutputFile', () => {
  it('replaces the file whole and leaves nothing beside it', async () => {
    const root = await mkdtemp(join(tmpdir(), 'out-file-'));
    const file = join(root, 'page.html');
    await writeFile(file, 'old, and longer than the new page\n');
    await writeOutputFile('--out', file, 'new\n');
    expect(await readFile(file, 'utf8')).toBe('new\n');
    expect(await readdir(root)).toEqual(['page.html']);
  });

  it('writes through a symlink, keeping the link', async () => {
    const root = await mkdtemp(join(tmpdir(), 'out-link-'));
    await writeFile(join(root, 'target.html'), 'old\n');
    await symlink(join(root, 'target.html'), join(root, 'link.html'));
    await writeOutputFile('--out', join(root, 'link.html'), 'new\n');
    expect(await readFile(join(root, 'target.html'), 'utf8')).toBe('new\n');
    expect((await readdir(root)).sort()).toEqual(['link.html', 'target.html']);
  });

  it('names the flag when the file cannot be written', async () => {
    await expect(writeOutputFile('--out', '/proc/self/status', 'x')).rejects.toThrow(
      /^--out: cannot write \/proc\/self\/status \(ENOENT/,
    );
  });
});
