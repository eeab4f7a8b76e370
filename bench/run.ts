import { benchJob } from './job-bench.js';
import { benchStartup } from './startup-bench.js';
import { benchTables } from './tables-bench.js';

// `npm run bench [-- job|tables ...]`: the named benchmarks (default all); paste the printed figures into BENCHMARKS.md.
const BENCHES = { startup: benchStartup, tables: benchTables, job: benchJob } as const;
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
const names = args.length > 0 ? args.filter(isBenchName) : (Object.keys(BENCHES) as BenchName[]);
const results: Record<string, unknown> = { node: process.version };
for (const name of names) results[name] = await BENCHES[name]();
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
