// Usage: tsx scripts/lint-dockerfiles.ts FILE=SUBCOMMAND ...  (e.g. ../Dockerfile.main=run ../Dockerfile.check=check)
import { readFileSync } from 'node:fs';
import { lintDockerfile } from './dockerfile-rules.js';

let total = 0;
for (const spec of process.argv.slice(2)) {
  const [file, subcommand] = spec.split('=');
  if (!file || !subcommand) throw new Error(`expected FILE=SUBCOMMAND, got ${spec}`);
  const findings = lintDockerfile(readFileSync(file, 'utf8'), subcommand);
  for (const f of findings) console.log(`${file}:${f.line}: [${f.rule}] ${f.message}`);
  console.log(`${file}: ${findings.length === 0 ? 'ok' : `${findings.length} finding(s)`}`);
  total += findings.length;
}
process.exitCode = total === 0 ? 0 : 1;
