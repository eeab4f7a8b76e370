import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RE2JS } from 're2js';
import { describe, expect, it, vi } from 'vitest';
import { parseDocument } from 'yaml';
import { ConfigError, parseConfigText } from '../../../src/product/config/load.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import { gpuCountFor } from '../../../src/product/shared/gpu-count.js';
import { makeGpuCountRun } from '../../helpers/builders.js';

// A config that validates must be able to work: a pattern that could stall the tracker, sample counts
// and concurrency no request could carry, and a YAML tag the parser drops are refused by their path.
const BASE = `
dashboard: { entity: d, project: p }
dataset: { entity: d, project: p }
companies:
  - company: a
    teams: [a-team]
    schedule: [{ date: "2024-11-01", assigned_gpu_node: 2 }]
`;

const withRule = (rule: string) =>
  BASE.replace('teams: [a-team]', `teams: [a-team]\n    gpu_count: [${rule}]`);

function issuesOf(text: string): string[] {
  try {
    parseConfigText(text, 'config.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected the config to be rejected');
}

const RE2 = 'invalid regular expression (RE2 syntax, https://github.com/google/re2/wiki/Syntax)';

describe('config values that validate but cannot work are refused (exit 2)', () => {
  it.each([
    [
      'a backreference in nodes.name_regex',
      withRule('{ nodes: { name_regex: "(\\\\d+)-\\\\1" } }'),
      [`companies[0].gpu_count[0].nodes.name_regex: ${RE2}: backreferences are not supported (\`\\1\`)`],
    ],
    [
      'a lookahead in gpus.name_regex',
      withRule('{ gpus: { name_regex: "(?=x)(\\\\d+)" } }'),
      [
        `companies[0].gpu_count[0].gpus.name_regex: ${RE2}: lookahead and lookbehind are not supported (\`(?=\`)`,
      ],
    ],
    [
      'a lookbehind',
      withRule('{ nodes: { name_regex: "(?<=n=)(\\\\d+)" } }'),
      [
        `companies[0].gpu_count[0].nodes.name_regex: ${RE2}: lookahead and lookbehind are not supported (\`(?<=n=)(\\d+)\`)`,
      ],
    ],
    [
      'a repeat RE2 bounds',
      withRule('{ nodes: { name_regex: "(a{2000})" } }'),
      [`companies[0].gpu_count[0].nodes.name_regex: ${RE2}: invalid repeat count (\`{2000}\`)`],
    ],
    [
      'a pattern too costly to match',
      withRule('{ nodes: { name_regex: "(\\\\d+)x{999}y{999}" } }'),
      [
        'companies[0].gpu_count[0].nodes.name_regex: too costly to match: 2004 RE2 instructions, at most 1000 (large repeat counts multiply them)',
      ],
    ],
    [
      'a pattern past its length',
      withRule(`{ nodes: { name_regex: "(\\\\d+)${'x'.repeat(1000)}" } }`),
      ['companies[0].gpu_count[0].nodes.name_regex: longer than 1000 characters (1005)'],
    ],
    [
      'metrics_samples past its maximum',
      `${BASE}metrics_samples: 100000000\n`,
      [
        'metrics_samples: at most 10000 samples per run (a day of system metrics is about 5,760 lines; the default is 1000)',
      ],
    ],
    [
      'max_workers past its maximum',
      `${BASE}max_workers: 99999999\n`,
      ['max_workers: at most 64 concurrent W&B requests (W&B throttles bursts; the default is 8)'],
    ],
    // BASE ends on line 7, so what follows starts on line 8.
    [
      'an unknown tag on a value',
      `${BASE}wandb_dir: !custom /tmp/x\n`,
      ['line 8:12: Unresolved tag: !custom'],
    ],
    [
      'an unknown tag on a company name',
      BASE.replace('company: a', 'company: !team a'),
      ['line 5:14: Unresolved tag: !team'],
    ],
  ])('%s', (_name, text, expected) => {
    expect(issuesOf(text)).toEqual(expected);
  });

  it('accepts the largest values it allows', () => {
    const config = parseConfigText(`${BASE}metrics_samples: 10000\nmax_workers: 64\n`, 'config.yaml');
    expect([config.metrics_samples, config.max_workers]).toEqual([10_000, 64]);
  });
});

describe('name_regex runs in time linear in the run name', () => {
  const config = parseConfigText(withRule('{ nodes: { name_regex: "^(a+)+$" } }'), 'config.yaml');
  const company = config.companies[0]!;

  // A backtracking RegExp takes ~2^n steps on n a's and a mismatch (about 20 s at n = 32); RE2 is linear.
  it.each([32, 100_000])('^(a+)+$ against %d a and a "!" as the run name', (n) => {
    const run = makeGpuCountRun({ displayName: `${'a'.repeat(n)}!`, description: `${'a'.repeat(n)}!` });
    const started = performance.now();
    expect(gpuCountFor(run, company, config)).toEqual({ count: 8, source: 'runInfo' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('compiles each pattern when the config is validated, not for each run', () => {
    const compile = vi.spyOn(RE2JS, 'compile');
    const validated = parseConfigText(withRule('{ nodes: { name_regex: "(\\\\d+)Nodes?" } }'), 'config.yaml');
    const compiledForConfig = compile.mock.calls.length;
    expect(compiledForConfig).toBeGreaterThan(0);
    for (let i = 0; i < 100; i++) {
      const run = makeGpuCountRun({ displayName: `llm-${i + 1}Nodes` });
      expect(gpuCountFor(run, validated.companies[0]!, validated).count).toBe(8 * (i + 1));
    }
    expect(compile.mock.calls.length).toBe(compiledForConfig);
  });
});

describe('the patterns in use keep their meaning under RE2', () => {
  const root = new URL('../../../', import.meta.url);
  const text = (path: string) => readFileSync(fileURLToPath(new URL(path, root)), 'utf8');
  /** Every name_regex value of a YAML file (wherever it sits). */
  const patternsOf = (path: string): string[] => {
    const found: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value !== null && typeof value === 'object') {
        for (const [key, child] of Object.entries(value)) {
          if (key === 'name_regex' && typeof child === 'string') found.push(child);
          else walk(child);
        }
      }
    };
    walk(parseDocument(text(path)).toJS());
    return found;
  };
  // docs/gpu-count-rules.md quotes its patterns YAML-escaped inside backticks (and one `"…"` placeholder).
  const documented = [...text('docs/gpu-count-rules.md').matchAll(/name_regex: "([^"]*\([^"]+)"/g)].map((m) =>
    (m[1] as string).replaceAll('\\\\', '\\'),
  );
  const patterns = [
    ...new Set([...patternsOf('config.yaml'), ...patternsOf('demo/config.yaml'), ...documented]),
  ];
  const NAMES = [
    '3Nodes',
    'llm-12Nodes',
    '2Node-sft',
    'pretrain-4Nodes',
    '5Node run',
    'run 5Node',
    '16Nodes tail',
    '0Nodes 2Nodes',
    'nodes=3',
    '７Nodes',
    'fiery-sun-12',
    '',
  ];

  it('finds the patterns of config.yaml, demo/config.yaml and docs/gpu-count-rules.md', () => {
    expect(patterns).toEqual(expect.arrayContaining(['(\\d+)Nodes$', '^(\\d+)Node', '(\\d+)Nodes?']));
  });

  it.each(patterns)('%s: the same first group as JavaScript RegExp on each name', (pattern) => {
    const config = parseConfigText(
      withRule(`{ gpus: { name_regex: ${JSON.stringify(pattern)} } }`),
      'c.yaml',
    );
    const company = config.companies[0]!;
    for (const name of NAMES) {
      const expected = Number(new RegExp(pattern).exec(name)?.[1] ?? 0);
      const run = makeGpuCountRun({ displayName: name, description: null, runInfo: null });
      const count = gpuCountFor(run, company, config).count ?? 0;
      expect([name, count]).toEqual([name, expected]);
    }
  });

  it('applies from the rule date as before', () => {
    const config = parseConfigText(
      withRule('{ from: "2025-02-17", nodes: { name_regex: "(\\\\d+)Nodes$" } }'),
      'config.yaml',
    );
    const run = (date: string) =>
      makeGpuCountRun({ displayName: 'x-3Nodes', createdLocalDate: date as IsoDate, runInfo: null });
    expect(gpuCountFor(run('2025-02-17'), config.companies[0]!, config)).toEqual({ count: 24, source: 0 });
    expect(gpuCountFor(run('2025-02-16'), config.companies[0]!, config).source).toBe('none');
  });
});
