import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/product/shared/errors.js';
import { DEMO_MARKER, resetDemoDir } from '../../../src/world/demo/state-dir.js';
import { tempDir } from '../../helpers/local-wandb.js';

describe('resetDemoDir', () => {
  it('creates a missing folder with its marker', async () => {
    const dir = join(await tempDir('demo-dir-'), 'new', '.demo');
    const paths = await resetDemoDir(dir);
    expect(await readdir(dir)).toEqual([DEMO_MARKER]);
    expect(paths.wandb).toBe(join(dir, 'wandb'));
  });

  it('empties a folder an earlier demo made', async () => {
    const dir = await tempDir('demo-dir-');
    await resetDemoDir(dir);
    await mkdir(join(dir, 'wandb', 'state'), { recursive: true });
    await writeFile(join(dir, 'job-log.jsonl'), 'old\n');
    await resetDemoDir(dir);
    expect(await readdir(dir)).toEqual([DEMO_MARKER]);
  });

  it('refuses a non-empty folder it did not make, and leaves it alone', async () => {
    const dir = await tempDir('demo-dir-');
    await writeFile(join(dir, 'thesis.tex'), 'precious');
    await expect(resetDemoDir(dir)).rejects.toThrow(UsageError);
    expect(await readdir(dir)).toEqual(['thesis.tex']);
  });
});
