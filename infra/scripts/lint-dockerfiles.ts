// Usage: tsx scripts/lint-dockerfiles.ts FILE=SUBCOMMAND ...  (e.g. ../Dockerfile.main=run ../Dockerfile.check=check)
// The base image must be the Node release pinned in the repository's .node-version, the one CI runs on.
import { readFileSync } from 'node:fs';
import { lintDockerfile } from './dockerfile-rules.js';

const nodeVersion = readFileSync(new URL('../../.node-version', import.meta.url), 'utf8').trim();
let total = 0;
for (const spec of process.argv.slice(2)) {
  const [file, subcommand] = spec.split('=');
  if (!file || !subcommand) throw new Error(`expected FILE=SUBCOMMAND, got ${spec}`);
  const findings = lintDockerfile(readFileSync(file, 'utf8'), { subcommand, nodeVersion });
  for (const f of findings) console.log(`${file}:${f.line}: [${f.rule}] ${f.message}`);
  console.log(
    `${file}: ${findings.length === 0 ? 'ok' : `${findings.length} finding(s)`} (base node ${nodeVersion})`,
  );
  total += findings.length;
}
process.exitCode = total === 0 ? 0 : 1;
