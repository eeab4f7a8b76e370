// W&B text and dataset cells that reach a terminal stay inert (docs/behaviour.md §8): a fatal error that
// quotes a hostile cell is printed without its escape sequences on a TTY, and `check --json`'s findings
// are tested in test/product/shared/inert-text.test.ts (C1 characters escaped).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ORIGINAL_HEADER } from '../../helpers/dataset-header.js';
import { runCliCaptured } from '../../helpers/run-cli.js';

const HEADER = ORIGINAL_HEADER;
const CONFIG = `
dashboard: { entity: d, project: p }
dataset: { entity: d, project: p }
companies:
  - company: alpha
    teams: [alpha-team]
    schedule: [{ date: "2025-01-08", assigned_gpu_node: 1 }]
`;
/** An OSC 8 hyperlink and a colour, in 7-bit and 8-bit (C1) form. */
const HOSTILE = '\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\u001b[31m\u009b1m';

describe('fatal errors on a terminal', () => {
  it('quote a hostile cell without its escape sequences, still naming line and column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'terminal-inert-'));
    await writeFile(join(dir, 'config.yaml'), CONFIG);
    await writeFile(
      join(dir, 'dataset.csv'),
      `${HEADER}\n2025-01-09,alpha-team,p,r1,[],2025-01-09T01:00:00,2025-01-09T13:00:00,finished,12.0,8${HOSTILE},60.0,30.0,80.0,40.0,h,2025-01-10T00:15:00\n`,
    );
    const result = await runCliCaptured(
      [
        'tables',
        '--dataset',
        'dataset.csv',
        '--config',
        'config.yaml',
        '--date',
        '2025-01-09',
        '--out',
        'out',
      ],
      { cwd: dir, isTty: true },
    );
    expect(result.code).toBe(2);
    expect(result.stderrRaw).toMatch(/line 2, column gpu_count/);
    expect(result.stderrRaw).toContain('click');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters
    expect(result.stderrRaw).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});
