import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// The import boundaries (.dependency-cruiser.cjs, and biome.json's override for the stages' pure files)
// pass on the repository and fail on each kind of breach, planted in a scratch tree under the same rules.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'node_modules', '.bin');
const scratch = mkdtempSync(join(tmpdir(), 'gpu-dashboard-boundaries-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Outcome = { code: number; output: string };

async function run(command: string, args: string[], cwd: string): Promise<Outcome> {
  try {
    const { stdout, stderr } = await promisify(execFile)(join(BIN, command), args, { cwd });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** As `npm run lint:imports`: the product, the W&B world and the infra code. */
const depcruise = (cwd: string, paths = ['src']) =>
  run('depcruise', [...paths, '--config', '.dependency-cruiser.cjs'], cwd);
const LINTED = ['src', 'infra/lib', 'infra/bin'];
const biomeLint = (cwd: string) => run('biome', ['lint', 'src'], cwd);

/** A scratch tree: the repository's rules and tsconfig, a minimal clean src/, plus the planted files. */
function plant(name: string, files: Record<string, string>): string {
  const root = join(scratch, name);
  mkdirSync(root, { recursive: true });
  cpSync(join(ROOT, '.dependency-cruiser.cjs'), join(root, '.dependency-cruiser.cjs'));
  cpSync(join(ROOT, 'tsconfig.json'), join(root, 'tsconfig.json'));
  // The scratch tree is no git checkout, so Biome is told not to look for one.
  const biome = JSON.parse(readFileSync(join(ROOT, 'biome.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(root, 'biome.json'), JSON.stringify({ ...biome, vcs: { enabled: false } }));
  const clean: Record<string, string> = {
    'src/main.ts': "import { sum } from './product/calculator/sum.js';\nexport const total = sum([1]);\n",
    'src/product/calculator/sum.ts': 'export const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);\n',
    'src/product/shared/logger.ts': 'export type Logger = { info(event: string): void };\n',
    'src/product/wandb/client.ts':
      'export type WandbClient = { url: string };\nexport const connect = () => 1;\n',
    'src/product/job/run-job.ts': 'export const runJob = () => 1;\n',
    'src/product/index.ts': "export { runJob } from './job/run-job.js';\n",
    'src/world/demo/run-demo.ts':
      "import { runJob } from '../../product/index.js';\nexport const demo = runJob;\n",
  };
  for (const [path, text] of Object.entries({ ...clean, ...files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('import boundaries', () => {
  it('hold on the repository (npm run lint:imports)', async () => {
    const result = await depcruise(ROOT, LINTED);
    expect(result.output).toContain('no dependency violations found');
    expect(result.code).toBe(0);
  });

  it('hold on the clean scratch tree, so each planted case below fails for its own reason', async () => {
    const root = plant('clean', {});
    expect((await depcruise(root)).code).toBe(0);
    expect((await biomeLint(root)).code).toBe(0);
  });

  it.each([
    [
      'a cycle',
      'no-cycle',
      {
        'src/product/shared/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
        'src/product/shared/b.ts':
          "import type { a } from './a.js';\nexport const b = 1;\nexport type A = typeof a;\n",
      },
    ],
    [
      'a cycle in the infra code',
      'no-cycle',
      {
        'infra/lib/settings.ts':
          "import { check } from './config.js';\nexport const settings = () => check;\n",
        'infra/lib/config.ts':
          "import type { settings } from './settings.js';\nexport const check = 1;\nexport type S = typeof settings;\n",
      },
    ],
    [
      'the calculator reaching the W&B client',
      'compute-and-render-never-publish',
      {
        'src/product/calculator/sum.ts':
          "import { connect } from '../wandb/client.js';\nexport const sum = () => connect();\n",
      },
    ],
    [
      'a renderer calling publishing',
      'compute-and-render-never-publish',
      {
        'src/product/publish/tables.ts': 'export const publish = () => 1;\n',
        'src/product/report/page.ts':
          "import { publish } from '../publish/tables.js';\nexport const page = () => publish();\n",
      },
    ],
    [
      'a stage calling the job',
      'nothing-below-job-imports-it',
      {
        'src/product/uploader/merge.ts':
          "import { runJob } from '../job/run-job.js';\nexport const merge = () => runJob();\n",
      },
    ],
    [
      "a renderer reaching into the calculator's internals",
      'calculator-through-its-entry',
      {
        'src/product/report/page.ts':
          "import { sum } from '../calculator/sum.js';\nexport const page = () => sum([2]);\n",
      },
    ],
    [
      'a product import of the W&B world',
      'product-never-imports-world',
      {
        'src/world/local-wandb/listen.ts': 'export const listen = () => 1;\n',
        'src/product/cli/serve.ts':
          "import { listen } from '../../world/local-wandb/listen.js';\nexport const s = listen;\n",
      },
    ],
    [
      "the W&B world reaching past the product's public entry points",
      'world-uses-product-public-only',
      {
        'src/world/demo/run-demo.ts':
          "import { runJob } from '../../product/job/run-job.js';\nexport const demo = runJob;\n",
      },
    ],
    [
      "a stage's pure file importing node:*",
      'pure-stage-file-no-node',
      {
        'src/product/calculator/sum.ts':
          "import { hostname } from 'node:os';\nexport const sum = () => hostname();\n",
      },
    ],
    [
      "a stage's pure file calling the W&B client",
      'pure-stage-file-no-wandb-runtime',
      {
        'src/product/calculator/sum.ts':
          "import { connect } from '../wandb/client.js';\nexport const sum = () => connect();\n",
      },
    ],
    [
      "a stage's pure file taking a logger",
      'pure-stage-file-no-logger-type',
      {
        'src/product/calculator/sum.ts':
          "import type { Logger } from '../shared/logger.js';\nexport const sum = (log: Logger) => log.info('x');\n",
      },
    ],
  ])('fail on %s (%s)', async (_case, rule, files) => {
    const result = await depcruise(
      plant(rule, files),
      LINTED.filter((p) => p === 'src' || Object.keys(files).some((f) => f.startsWith(p))),
    );
    expect(result.output).toContain(rule);
    expect(result.code).not.toBe(0);
  });

  it("fail on a stage's pure file using process (Biome), and pass on an I/O shell file doing so", async () => {
    const pure = await biomeLint(
      plant('process-pure', {
        'src/product/calculator/sum.ts': 'export const sum = () => process.env.HOME;\n',
      }),
    );
    expect(pure.output).toContain('noProcessGlobal');
    expect(pure.code).not.toBe(0);
    const shell = await biomeLint(
      plant('process-shell', {
        'src/product/uploader/load-base.ts': 'export const out = () => process.cwd();\n',
      }),
    );
    expect(shell.code).toBe(0);
  });
});
