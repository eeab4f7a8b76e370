import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Python packages wandb 0.30 needs besides the OpenTelemetry ones (its METADATA, minus opentelemetry-*). */
const WANDB_DEPS = [
  'click>=8.2.0',
  'packaging',
  'platformdirs',
  'protobuf>=5,<8',
  'pydantic>=2.6,<3',
  'pyyaml',
  'requests>=2,<3',
  'typing-extensions>=4.8,<5',
  'xxhash>=3',
  'googleapis-common-protos~=1.52',
  'pandas',
];
const NO_DEPS = [
  'opentelemetry-api',
  'opentelemetry-sdk',
  'opentelemetry-proto',
  'opentelemetry-exporter-otlp-proto-common',
  'opentelemetry-exporter-otlp-proto-http',
  'wandb',
];

function run(cmd: string, args: readonly string[]): boolean {
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  return result.status === 0;
}

const canImport = (python: string, modules: string): boolean =>
  spawnSync(python, ['-c', `import ${modules}`], { stdio: 'ignore' }).status === 0;

/**
 * Makes `<root>/.venv-conformance` hold wandb + pandas. Tries the plain `pip install wandb pandas` first; the
 * offline mirror here lacks two OpenTelemetry packages wandb 0.30 pins (opentelemetry-semantic-conventions,
 * opentelemetry-exporter-http-transport), so it then installs the rest, the OpenTelemetry wheels without their
 * dependencies, and a constants-only semconv shim (semconv_shim.py). Returns the venv's python and the seconds spent.
 */
export function ensureConformanceVenv(root: string): { python: string; seconds: number } {
  const started = performance.now();
  const venv = join(root, '.venv-conformance');
  const python = join(venv, 'bin', 'python');
  const pip = join(venv, 'bin', 'pip');
  if (!existsSync(python) && !run('python3', ['-m', 'venv', venv])) throw new Error('python3 -m venv failed');
  if (!canImport(python, 'wandb, pandas')) {
    // --retries 0: the default index is unreachable offline; fail over to the local mirror at once.
    const isPlainOk = run(pip, ['install', '--retries', '0', 'wandb', 'pandas']);
    if (!isPlainOk || !canImport(python, 'wandb, pandas')) {
      if (!run(pip, ['install', '--retries', '0', ...WANDB_DEPS]))
        throw new Error('pip install of wandb deps failed');
      if (!run(pip, ['install', '--retries', '0', '--no-deps', ...NO_DEPS]))
        throw new Error('pip install of wandb failed');
    }
  }
  if (!canImport(python, 'opentelemetry.semconv')) {
    const lib = join(venv, 'lib');
    const site = join(
      lib,
      readdirSync(lib).find((d) => d.startsWith('python')) ?? 'python3',
      'site-packages',
    );
    copyFileSync(join(root, 'test', 'conformance', 'semconv_shim.py'), join(site, 'semconv_shim.py'));
    writeFileSync(join(site, 'semconv_shim.pth'), 'import semconv_shim\n');
  }
  if (!canImport(python, 'wandb, pandas')) throw new Error(`${python} cannot import wandb and pandas`);
  return { python, seconds: (performance.now() - started) / 1000 };
}
