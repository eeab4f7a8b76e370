import { benchAged } from './aged-bench.js';
import { benchJob, benchLarge } from './job-bench.js';
import { benchStartup } from './startup-bench.js';
import { benchTables } from './tables-bench.js';

// `npm run bench [-- startup|tables|job|large|aged ...]`: the named benchmarks (default all); paste the printed figures into BENCHMARKS.md.
const BENCHES = {
  startup: benchStartup,
  tables: benchTables,
  job: benchJob,
  large: benchLarge,
  aged: benchAged,
} as const;
type BenchName = keyof typeof BENCHES;

const isBenchName = (name: string): name is BenchName => Object.hasOwn(BENCHES, name);
const args = process.argv.slice(2);
const unknown = args.filter((a) => !isBenchName(a));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark(s): ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}\n`,
  );
  process.exit(2);
}
// `large` (about half an hour) and `aged` (about as long) run only when named.
const DEFAULT: readonly BenchName[] = ['startup', 'tables', 'job'];
const names = args.length > 0 ? args.filter(isBenchName) : DEFAULT;
const results: Record<string, unknown> = { node: process.version };
for (const name of names) results[name] = await BENCHES[name]();
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
