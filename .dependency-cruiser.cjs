// Import boundaries, checked by `npm run lint:imports` (and by test/boundaries.test.ts, so CI fails on a
// breach). docs/architecture.md explains the two worlds and the pure-core / I/O-shell split.

// A stage's pure files are the ones biome.json's override lints as pure (no `process`, no node:*); the
// files it excludes are the stages' I/O shells (talking to W&B, files, Slack or CloudWatch, or logging).
const PURE_OVERRIDE = require('./biome.json').overrides[0].includes;
const IO_FILES = PURE_OVERRIDE.filter((glob) => glob.startsWith('!src/product/')).map((glob) =>
  glob.slice('!src/product/'.length, -'.ts'.length),
);
const STAGE_FILE = '^src/product/(tracker|uploader|calculator|checker|alert|report)/[^/]+[.]ts$';
const IO_FILE = `^src/product/(${IO_FILES.join('|')})[.]ts$`;

/** What the embedded W&B world may use of the product: its shared types and helpers, and public entries. */
const PRODUCT_PUBLIC = '^src/product/(shared/|config/types[.]ts$|index[.]ts$|cli/kit[.]ts$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'Imports run one way: a cycle (type-only imports included) means two files are one piece.',
      severity: 'error',
      from: { path: '^(src|infra)/' },
      to: { circular: true },
    },
    {
      name: 'compute-and-render-never-publish',
      comment:
        'calculator/ computes and report/ renders; talking to W&B is publish/ (and wandb/), which the job calls after them.',
      severity: 'error',
      from: { path: '^src/product/(calculator|report)/' },
      to: { path: '^src/product/(wandb|publish)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'nothing-below-job-imports-it',
      comment: 'The job composes the stages; only the commands and the public entry may call it.',
      severity: 'error',
      from: { path: '^src/product/', pathNot: '^src/product/(job/|cli/|index[.]ts$)' },
      to: { path: '^src/product/job/' },
    },
    {
      name: 'calculator-through-its-entry',
      comment: "Other parts use the calculator through calculator/index.ts, never its internals.",
      severity: 'error',
      from: { path: '^src/product/', pathNot: '^src/product/calculator/' },
      to: { path: '^src/product/calculator/', pathNot: '^src/product/calculator/index[.]ts$' },
    },
    {
      name: 'product-never-imports-world',
      comment:
        'The product runs against real W&B; the embedded W&B world (src/world/) is test and demo ground.',
      severity: 'error',
      from: { path: '^src/product/' },
      to: { path: '^src/world/' },
    },
    {
      name: 'world-uses-product-public-only',
      comment: 'The W&B world may use the product only through its shared types and public entry points.',
      severity: 'error',
      from: { path: '^src/world/' },
      to: { path: '^src/product/', pathNot: PRODUCT_PUBLIC },
    },
    {
      name: 'pure-stage-file-no-node',
      comment: "A stage's pure file computes; node:* belongs in its I/O shell or in src/product/shared/.",
      severity: 'error',
      from: { path: STAGE_FILE, pathNot: IO_FILE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'pure-stage-file-no-wandb-runtime',
      comment: "A stage's pure file may name W&B client types, never call the client.",
      severity: 'error',
      from: { path: STAGE_FILE, pathNot: IO_FILE },
      to: { path: '^src/product/wandb/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'pure-stage-file-no-logger-or-io-shell',
      comment:
        "A stage's pure file neither logs nor posts; it may not reach I/O through a shell file either.",
      severity: 'error',
      from: { path: STAGE_FILE, pathNot: IO_FILE },
      to: {
        path: [IO_FILE, '^src/product/shared/(logger|slack-post)[.]ts$'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'pure-stage-file-no-logger-type',
      comment: 'A function that takes a logger is not pure.',
      severity: 'error',
      from: { path: STAGE_FILE, pathNot: IO_FILE },
      to: { path: '^src/product/shared/logger[.]ts$' },
    },
    {
      name: 'not-to-unresolvable',
      comment: "src/ resolves every import; infra/'s CDK packages live in infra/node_modules, installed on synth.",
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
