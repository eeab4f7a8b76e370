import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every "why" in the code can be followed inside the repository: each citation of docs/behaviour.md or
// docs/wandb-protocol.md names a section that exists there, and nothing points at documents outside it.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOCS = ['docs/behaviour.md', 'docs/wandb-protocol.md'] as const;
const SCANNED = [
  'src',
  'test',
  'bench',
  'infra/lib',
  'infra/bin',
  'infra/test',
  'README.md',
  'BENCHMARKS.md',
  'docs',
];

/** Tracked text files under the scanned paths (this test's own patterns aside). */
function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-co', '--exclude-standard', ...SCANNED], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => f !== '' && !/\.(png|csv)$/.test(f) && f !== 'test/docs-references.test.ts')
    .filter((f) => existsSync(`${ROOT}${f}`));
}

/** The `§n` / `§n.m` numbers of a document's headings. */
function sections(doc: string): Set<string> {
  const text = readFileSync(`${ROOT}${doc}`, 'utf8');
  return new Set([...text.matchAll(/^#{2,4} §(\d+(?:\.\d+)?)\b/gm)].map((m) => m[1] as string));
}

describe('references in code and docs', () => {
  const files = trackedFiles().map((f) => ({ file: f, text: readFileSync(`${ROOT}${f}`, 'utf8') }));

  it.each(DOCS)('every citation of %s names one of its sections', (doc) => {
    const known = sections(doc);
    expect(known.size).toBeGreaterThan(10);
    const broken: string[] = [];
    let cited = 0;
    for (const { file, text } of files) {
      for (const m of text.matchAll(new RegExp(`${doc.replace('.', '[.]')} §(\\d+(?:\\.\\d+)?)`, 'g'))) {
        cited++;
        if (!known.has(m[1] as string)) broken.push(`${file}: ${m[0]}`);
      }
    }
    expect(cited).toBeGreaterThan(10);
    expect(broken).toEqual([]);
  });

  it('nothing points at documents outside the repository', () => {
    const outside = /SPEC §|SPEC\.md|issue #\d|\.\.\/shared\/[A-Za-z-]+\.md|(?<!docs\/)wandb-protocol\.md/;
    const found = files.flatMap(({ file, text }) =>
      text
        .split('\n')
        .map((line, i) => ({ line, at: `${file}:${i + 1}` }))
        .filter(({ line }) => outside.test(line))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });
});
