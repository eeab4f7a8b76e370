import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Moto, startMoto } from '../../helpers/moto.js';
import { runCliCaptured } from '../../helpers/run-cli.js';

// Where the config comes from: --config or $GPU_DASHBOARD_CONFIG, a path or s3://bucket/key (read from
// moto_server's S3 here), else ./config.yaml, else exit 2 naming where it looked. Never a packaged file.
const REPO_CONFIG = readFileSync(fileURLToPath(new URL('../../../config.yaml', import.meta.url)));
const empty = mkdtempSync(join(tmpdir(), 'gpu-dashboard-noconfig-'));
let moto: Moto;

beforeAll(async () => {
  moto = await startMoto();
  await moto.putObject('programme-config', 'gpu-dashboard/config.yaml', REPO_CONFIG);
  await moto.putObject('programme-config', 'broken.yaml', 'timezone: Asia/Tokyo\ncompanies: 3\n');
}, 60_000);
afterAll(async () => {
  await moto?.stop();
  rmSync(empty, { recursive: true, force: true });
});

describe('validate-config and the config location', () => {
  it('loads --config s3://bucket/key from S3 and reports the SHA-256 of the bytes it read', async () => {
    const { code, stdout } = await runCliCaptured(
      ['validate-config', '--config', 's3://programme-config/gpu-dashboard/config.yaml'],
      { env: moto.env, cwd: empty },
    );
    expect(code).toBe(0);
    expect(stdout).toContain('s3://programme-config/gpu-dashboard/config.yaml: valid');
    expect(stdout).toContain(createHash('sha256').update(REPO_CONFIG).digest('hex'));
  });

  it('exits 2 on an invalid config read from S3, by --config or by $GPU_DASHBOARD_CONFIG', async () => {
    const { code, stdout } = await runCliCaptured(
      ['validate-config', '--config', 's3://programme-config/broken.yaml'],
      {
        env: moto.env,
        cwd: empty,
      },
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const viaEnv = await runCliCaptured(['run', '--dry-run', '--api', 'k'.repeat(40)], {
      env: { ...moto.env, GPU_DASHBOARD_CONFIG: 's3://programme-config/broken.yaml' },
      cwd: empty,
    });
    expect(viaEnv.code).toBe(2);
    expect(viaEnv.stderr).toMatch(/s3:\/\/programme-config\/broken\.yaml: invalid configuration/);
    expect(viaEnv.stderr).toMatch(/companies/);
  });

  it('names the object when it is missing (exit 2)', async () => {
    const { code, stderr } = await runCliCaptured(
      ['validate-config', '--config', 's3://programme-config/nope.yaml'],
      {
        env: moto.env,
        cwd: empty,
      },
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/s3:\/\/programme-config\/nope\.yaml.*cannot read the S3 object \(NoSuchKey\)/s);
  });

  it('exits 2 naming where it looked when no config is given and ./config.yaml does not exist', async () => {
    const { code, stderr } = await runCliCaptured(['run', '--dry-run', '--api', 'k'.repeat(40)], {
      env: {},
      cwd: empty,
    });
    expect(code).toBe(2);
    expect(stderr).toContain('--config not given');
    expect(stderr).toContain('$GPU_DASHBOARD_CONFIG not set');
    expect(stderr).toContain(`${join(empty, 'config.yaml')} does not exist`);
  });

  it('uses ./config.yaml when it exists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpu-dashboard-localconfig-'));
    writeFileSync(join(dir, 'config.yaml'), REPO_CONFIG);
    const { code, stdout } = await runCliCaptured(['validate-config', '--config', 'config.yaml'], {
      cwd: dir,
    });
    expect(code).toBe(0);
    expect(stdout).toContain(`${join(dir, 'config.yaml')}: valid`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects an s3:// value without a key', async () => {
    const { code, stderr } = await runCliCaptured(['validate-config', '--config', 's3://bucket-only'], {
      cwd: empty,
    });
    expect(code).toBe(2);
    expect(stderr).toContain('--config: "s3://bucket-only" is not s3://bucket/key');
  });
});

describe('errors off a terminal', () => {
  it('are JSON lines with level error, so a CloudWatch filter on $.level = "error" finds them', async () => {
    const usage = await runCliCaptured(['run', '--no-such-flag'], { isTty: false, cwd: empty });
    const config = await runCliCaptured(['validate-config', '--config', join(empty, 'missing.yaml')], {
      isTty: false,
      cwd: empty,
    });
    for (const [result, event, exitCode] of [
      [usage, 'cli.usage', 2],
      [config, 'cli.failed', 2],
    ] as const) {
      expect(result.code).toBe(2);
      const lines = result.stderrRaw.trim().split('\n');
      expect(lines).toHaveLength(1);
      const line = JSON.parse(lines[0] as string) as Record<string, unknown>;
      expect(line).toMatchObject({ level: 'error', event, exit_code: exitCode });
      expect(typeof line.message).toBe('string');
    }
  });

  it('are plain text on a terminal', async () => {
    const { stderrRaw } = await runCliCaptured(['validate-config', '--config', join(empty, 'missing.yaml')], {
      isTty: true,
      cwd: empty,
    });
    expect(stderrRaw.startsWith('ConfigError: ')).toBe(true);
  });
});
