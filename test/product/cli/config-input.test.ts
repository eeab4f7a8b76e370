import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Moto, startMoto } from '../../helpers/moto.js';
import { runCliCaptured } from '../../helpers/run-cli.js';

// What --config reads is bounded and must be UTF-8 YAML: a device, a huge file or object, another
// encoding, or a URL the product does not read is refused with exit 2 and what to do, before parsing.
const CONFIG = `# gpu-dashboard
dashboard: { entity: d, project: p }
dataset: { entity: d, project: p }
companies:
  - company: alpha
    teams: [alpha-team]
    schedule: [{ date: "2025-01-08", assigned_gpu_node: 1 }]
`;
const MIB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'config-input-'));
let moto: Moto;

/** The UTF-16/32 encodings of CONFIG, with or without a byte order mark. */
function encoded(encoding: 'utf16le' | 'utf16be' | 'utf32le', bom: boolean): Buffer {
  const text = bom ? `\uFEFF${CONFIG}` : CONFIG;
  if (encoding === 'utf16le') return Buffer.from(text, 'utf16le');
  if (encoding === 'utf16be') return Buffer.from(text, 'utf16le').swap16();
  return Buffer.concat([...text].map((c) => Buffer.from([c.codePointAt(0) ?? 0, 0, 0, 0])));
}

const files: Record<string, Buffer | string> = {
  'utf16le-bom.yaml': encoded('utf16le', true),
  'utf16be-bom.yaml': encoded('utf16be', true),
  'utf16le.yaml': encoded('utf16le', false),
  'utf32le-bom.yaml': encoded('utf32le', true),
  // Latin-1 "é" (0xE9) in a comment on line 3: no UTF-8 decoder reads it.
  'latin1.yaml': Buffer.concat([
    Buffer.from(CONFIG.replace('dataset:', '# caf\u0000\ndataset:').split('\u0000')[0] as string),
    Buffer.from([0xe9]),
    Buffer.from(CONFIG.replace('dataset:', '# caf\u0000\ndataset:').split('\u0000')[1] as string),
  ]),
  'nul.yaml': CONFIG.replace('companies:', 'wandb_dir: /tmp\u0000\ncompanies:'),
  'bom-utf8.yaml': `\uFEFF${CONFIG}`,
  // Valid YAML past the bound: the read stops at 1 MiB, whatever the rest is.
  'huge.yaml': `${CONFIG}${`# ${'x'.repeat(1021)}\n`.repeat(1025)}`,
};

beforeAll(async () => {
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  moto = await startMoto();
  await moto.putObject('programme-config', 'config.yaml', CONFIG);
  await moto.putObject('programme-config', 'huge.yaml', `${CONFIG}#${'x'.repeat(MIB)}\n`);
}, 60_000);
afterAll(async () => {
  await moto?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const validate = (config: string, env: Record<string, string> = {}) =>
  runCliCaptured(['validate-config', '--config', config], { cwd: dir, env });

const NOT_UTF8 = 'config must be UTF-8 text';

describe('validate-config refuses a config it cannot read as UTF-8 YAML (exit 2)', () => {
  it.each([
    ['utf16le-bom.yaml', `${NOT_UTF8} (this file looks like UTF-16LE): save it as UTF-8`],
    ['utf16be-bom.yaml', `${NOT_UTF8} (this file looks like UTF-16BE): save it as UTF-8`],
    ['utf16le.yaml', `${NOT_UTF8} (this file looks like UTF-16LE): save it as UTF-8`],
    ['utf32le-bom.yaml', `${NOT_UTF8} (this file looks like UTF-32LE): save it as UTF-8`],
    ['latin1.yaml', `${NOT_UTF8} (invalid UTF-8 at line 3)`],
    ['nul.yaml', `${NOT_UTF8} without NUL bytes (one at line 4)`],
    [
      'huge.yaml',
      'the file is larger than 1048576 bytes (1 MiB); a config is a few KB of YAML: point --config at the config file',
    ],
  ])('%s', async (name, message) => {
    const { code, stdout, stderr } = await validate(name);
    expect(stderr).toContain(`${join(dir, name)}: invalid configuration\n  (file): ${message}`);
    expect([code, stdout]).toEqual([2, '']);
  });

  it('accepts UTF-8 with a byte order mark', async () => {
    const { code, stdout } = await validate('bom-utf8.yaml');
    expect(stdout).toContain(': valid (1 companies');
    expect(code).toBe(0);
  });

  it('stops reading /dev/zero at the bound instead of growing without end', async () => {
    const started = performance.now();
    const { code, stderr } = await validate('/dev/zero');
    expect(stderr).toContain(
      '/dev/zero: invalid configuration\n  (file): the file is larger than 1048576 bytes',
    );
    expect(code).toBe(2);
    expect(performance.now() - started).toBeLessThan(5000);
  }, 20_000);
});

describe('where --config points', () => {
  it.each([
    [
      'https://example.com/config.yaml',
      'is a https:// URL, which is not read; give a file path or s3://bucket/key',
    ],
    ['file:///etc/config.yaml', 'is a file:// URL, which is not read; give a file path or s3://bucket/key'],
  ])('refuses %s (exit 2)', async (value, message) => {
    const { code, stderr } = await validate(value);
    expect(stderr).toContain(`--config: "${value}" ${message}`);
    expect(code).toBe(2);
  });

  it('reads S3://bucket/key (any case of the scheme) from S3', async () => {
    const { code, stdout } = await validate('S3://programme-config/config.yaml', moto.env);
    expect(stdout).toContain('s3://programme-config/config.yaml: valid');
    expect(code).toBe(0);
  });

  it('refuses an S3 object past 1 MiB (exit 2)', async () => {
    const { code, stderr } = await validate('s3://programme-config/huge.yaml', moto.env);
    expect(stderr).toContain(
      's3://programme-config/huge.yaml: invalid configuration\n  (file): the S3 object is larger than 1048576 bytes',
    );
    expect(code).toBe(2);
  });
});
