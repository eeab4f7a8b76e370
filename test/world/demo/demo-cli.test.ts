import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/local-wandb.js';
import { runCliCaptured } from '../../helpers/run-cli.js';

describe('gpu-dashboard demo (usage)', () => {
  it('documents its flags and an example in --help', async () => {
    const { code, stdout } = await runCliCaptured(['demo', '--help']);
    expect(code).toBe(0);
    for (const text of [
      '--config',
      '--dir',
      '--seed',
      '--serve',
      '--port',
      'default: ".demo"',
      'gpu-dashboard demo --serve',
    ])
      expect(stdout).toContain(text);
  });

  it.each([
    [['--seed', 'abc'], /--seed must be a whole number in \[0, 4294967295\], got "abc"/],
    [['--port', '70000'], /--port must be a whole number in \[0, 65535\], got "70000"/],
    [['--config', 'missing.yaml'], /--config: cannot read .*missing\.yaml/],
  ])('exits 2 on %j', async (args, message) => {
    const cwd = await tempDir('demo-cli-');
    const { code, stderr } = await runCliCaptured(['demo', ...args], { cwd });
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(await readdir(cwd)).toEqual([]);
  });

  it('refuses a --dir it did not make and leaves its files alone (exit 2)', async () => {
    const cwd = await tempDir('demo-cli-');
    await writeFile(join(cwd, 'notes.txt'), 'keep me');
    const { code, stderr } = await runCliCaptured(['demo', '--dir', '.'], { cwd });
    expect(code).toBe(2);
    expect(stderr).toContain('is not empty and was not made by the demo; choose another --dir');
    expect(await readdir(cwd)).toEqual(['notes.txt']);
  });
});
