import { benchTables } from './tables-bench.js';

// `npm run bench`: every benchmark in one run; paste the printed figures into BENCHMARKS.md.
const results = { node: process.version, tables: await benchTables() };
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
