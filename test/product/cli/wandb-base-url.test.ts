import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../helpers/run-cli.js';

// W&B's key goes in WANDB_API_KEY; a user:password in WANDB_BASE_URL is refused before anything is
// logged, so the password is printed nowhere (it was in every retry line and the final error).
const CONFIG = `
dashboard: { entity: d, project: p }
dataset: { entity: d, project: p }
companies:
  - company: alpha
    teams: [alpha-team]
    schedule: [{ date: "2025-01-08", assigned_gpu_node: 1 }]
`;
const KEY = { WANDB_API_KEY: 'k'.repeat(40) };
const instant = async () => {};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'base-url-'));
  await writeFile(join(dir, 'config.yaml'), CONFIG);
});

const RUN = ['run', '--config', 'config.yaml', '--start-date', '2025-01-09', '--end-date', '2025-01-09'];
const COMMANDS = [
  ['run --verbose', [...RUN, '--verbose']],
  ['run --dry-run', [...RUN, '--dry-run']],
  ['check --verbose', ['check', '--config', 'config.yaml', '--date', '2025-01-09', '--verbose']],
  ['report', ['report', '--config', 'config.yaml', '--out', 'page.html']],
] as const;

describe('WANDB_BASE_URL with credentials (exit 2, the password printed nowhere)', () => {
  it.each(COMMANDS)(
    '%s',
    async (_name, argv) => {
      const env = { ...KEY, WANDB_BASE_URL: 'http://user:secret@127.0.0.1:1' };
      const result = await runCliCaptured([...argv], { cwd: dir, env, sleep: instant });
      expect(result.stderr).toContain(
        "WANDB_BASE_URL must not carry user:password (http://[redacted]@127.0.0.1:1/); put W&B's key in WANDB_API_KEY",
      );
      expect(result.code).toBe(2);
      expect(`${result.stdout}${result.stderrRaw}`).not.toContain('secret');
    },
    30_000,
  );

  it.each([
    ['a token alone', 'https://tok3n@api.example.com', 'tok3n'],
    ['an empty user', 'https://:secret@api.example.com', 'secret'],
  ])('refuses %s too', async (_name, url, hidden) => {
    const result = await runCliCaptured([...RUN], {
      cwd: dir,
      env: { ...KEY, WANDB_BASE_URL: url },
      sleep: instant,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('WANDB_BASE_URL must not carry user:password');
    expect(result.stderrRaw).not.toContain(hidden);
  });

  it.each([
    ['not a URL', 'api.wandb.ai', 'WANDB_BASE_URL: "api.wandb.ai" is not a URL (e.g. https://api.wandb.ai)'],
    [
      'another scheme',
      'ftp://api.example.com',
      'WANDB_BASE_URL: "ftp://api.example.com" is not an http(s) URL',
    ],
  ])('refuses %s', async (_name, url, message) => {
    const result = await runCliCaptured([...RUN], {
      cwd: dir,
      env: { ...KEY, WANDB_BASE_URL: url },
      sleep: instant,
    });
    expect(result.stderr).toContain(message);
    expect(result.code).toBe(2);
  });

  it('never prints the userinfo of a URL in an error either (a --config URL, here)', async () => {
    const env = { ...KEY, GPU_DASHBOARD_CONFIG: 'https://user:secret@config.example.com/config.yaml' };
    const result = await runCliCaptured(['run', '--dry-run'], { cwd: dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"https://[redacted]@config.example.com/config.yaml" is a https:// URL');
    expect(result.stderrRaw).not.toContain('secret');
  });
});

describe('run --concurrency is bounded (exit 2)', () => {
  it.each(['99999999', '65', '0', '2.5'])('--concurrency %s', async (value) => {
    const env = { ...KEY, WANDB_BASE_URL: 'http://127.0.0.1:9' };
    const result = await runCliCaptured([...RUN, '--concurrency', value], { cwd: dir, env, sleep: instant });
    expect(result.stderr).toContain(
      `--concurrency: "${value}" is not a whole number from 1 to 64 (concurrent W&B requests; default: max_workers of the config)`,
    );
    expect(result.code).toBe(2);
  }, 30_000);
});
