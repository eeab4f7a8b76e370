import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfigText } from '../../../src/product/config/load.js';

const BASE = `
dashboard: { entity: geniac-gpu, project: gpu-dashboard2, tag_for_latest: latest }
dataset: { entity: geniac-gpu, project: gpu-dashboard2, artifact_name: all_runs_data }
companies:
  - company: a
    teams: [a-team]
    schedule:
      - { date: "2024-11-01", assigned_gpu_node: 2 }
      - { date: "2025-01-01", assigned_gpu_node: 0 }
`;

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

describe('config validation', () => {
  it('fills the documented defaults', () => {
    const config = parseConfigText(BASE, 'config.yaml');
    expect(config).toMatchObject({
      timezone: 'Asia/Tokyo',
      gpus_per_node: 8,
      week_starts_on: 'sunday',
      weekStartIndex: 0,
      max_workers: 8,
      metrics_samples: 1000,
      ignore_tags: [],
      alerts: { low_utilization_percent: 10, slack_webhook_url_env: 'SLACK_WEBHOOK_URL' },
      cloudwatch: { log_group: '/ecs/gpu-dashboard' },
    });
    expect(config.companies[0]).toMatchObject({ require_gpu_info: true, gpu_count: [] });
    expect(Object.isFrozen(config.companies[0]?.schedule)).toBe(true);
  });

  it.each([
    ['an unknown top-level key', `${BASE}colour: red\n`, ['(root): unknown key "colour"']],
    [
      'a wrong type',
      `${BASE}max_workers: many\n`,
      ['max_workers: Invalid input: expected number, received string'],
    ],
    [
      'a missing required key',
      BASE.replace('project: gpu-dashboard2, tag', 'tag'),
      ['dashboard.project: is required'],
    ],
    [
      'a date that is not a calendar date',
      BASE.replace('2025-01-01', '2025-02-30'),
      ['companies[0].schedule[1].date: must be a calendar date YYYY-MM-DD'],
    ],
    [
      'an unsorted schedule',
      BASE.replace('2025-01-01', '2024-10-01'),
      [
        'companies[0].schedule[1].date: schedule must be sorted by date with no repeats (2024-10-01 follows 2024-11-01)',
      ],
    ],
    [
      'a bad time zone',
      `${BASE}timezone: Asia/Nowhere\n`,
      ['timezone: must be an IANA time zone, e.g. Asia/Tokyo'],
    ],
    [
      'a bad week start',
      `${BASE}week_starts_on: someday\n`,
      [
        'week_starts_on: Invalid option: expected one of "sunday"|"monday"|"tuesday"|"wednesday"|"thursday"|"friday"|"saturday"',
      ],
    ],
    [
      'negative nodes',
      BASE.replace('assigned_gpu_node: 0', 'assigned_gpu_node: -1'),
      ['companies[0].schedule[1].assigned_gpu_node: Too small: expected number to be >=0'],
    ],
    [
      'an unknown company key',
      BASE.replace('teams: [a-team]', 'teams: [a-team]\n    colour: red'),
      ['companies[0]: unknown key "colour"'],
    ],
    [
      'a gpu_count rule with both nodes and gpus',
      BASE.replace(
        'teams: [a-team]',
        'teams: [a-team]\n    gpu_count: [{ nodes: { config: n }, gpus: { config: g } }]',
      ),
      ['companies[0].gpu_count[0]: a rule needs exactly one of "nodes" or "gpus"'],
    ],
    [
      'a name_regex without a capture group',
      BASE.replace('teams: [a-team]', 'teams: [a-team]\n    gpu_count: [{ nodes: { name_regex: "Nodes" } }]'),
      ['companies[0].gpu_count[0].nodes.name_regex: needs a capture group'],
    ],
  ])('%s', (_name, text, expected) => {
    expect(issuesOf(text)).toEqual(expected);
  });

  it('reports every problem at once, a team under two companies included', () => {
    const text = `${BASE}  - company: b\n    teams: [a-team]\n    schedule: [{ date: "2024-13-01", assigned_gpu_node: 1 }]\nmax_workers: 0\n`;
    expect(issuesOf(text)).toEqual([
      'max_workers: Too small: expected number to be >0',
      'companies[1].schedule[0].date: must be a calendar date YYYY-MM-DD',
      'companies[1].teams[0]: team "a-team" is already listed under companies[0]',
    ]);
  });

  // BASE starts with an empty line 1 and ends on line 9, so what it is followed by starts on line 10.
  it.each([
    ['a repeated key', `${BASE}max_workers: 2\nmax_workers: 3\n`, 'line 11:1: Map keys must be unique'],
    [
      'a mapping inside a compact one',
      `${BASE}colour: b: c\n`,
      'line 10:9: Nested mappings are not allowed in compact mappings',
    ],
    [
      'an alias without an anchor',
      `${BASE}max_workers: *nope\n`,
      'line 10:14: Unresolved alias (the anchor must be set before the alias): nope',
    ],
  ])('names the line:column of %s', (_name, text, expected) => {
    expect(issuesOf(text)).toEqual([expected]);
  });

  it('stops an alias bomb (billion laughs) before it expands', () => {
    // Each level repeats the previous one 9 times: 9^6 (531,441) strings once expanded.
    const levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (const [prev, name] of [...'abcde'].map((c, i) => [c, 'bcdef'[i]!])) {
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    expect(issuesOf(`${BASE}${levels.join('\n')}\n`)).toEqual([
      '(root): aliases expand past the limit of 100 (nested aliases that repeat each other grow exponentially)',
    ]);
  });

  it('accepts a config that reuses a schedule through an alias', () => {
    const text = BASE.replace('    schedule:\n', '    schedule: &shared\n').concat(
      '  - company: b\n    teams: [b-team]\n    schedule: *shared\n',
    );
    const config = parseConfigText(text, 'config.yaml');
    expect(config.companies.map((c) => c.schedule.map((e) => e.assigned_gpu_node))).toEqual([
      [2, 0],
      [2, 0],
    ]);
  });

  it.each([
    ['include_project_pattern', 'gpu-info[', /Missing closing: "\]"/],
    ['ignore_project_pattern', '[z-a]-*', /Range out of order/],
    ['include_project_pattern', 'scratch-\\', /Invalid regular expression/],
  ])('rejects a malformed glob in %s (%s) by its path', (key, pattern, detail) => {
    const issues = issuesOf(BASE.replace('teams: [a-team]', `teams: [a-team]\n    ${key}: '${pattern}'`));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(new RegExp(`^companies\\[0\\]\\.${key}: invalid glob: `));
    expect(issues[0]).toMatch(detail);
  });

  it('accepts the globs projects are filtered with', () => {
    for (const pattern of ['gpu-info*', 'llm-{a,b}-*', 'exp-[0-9][0-9]', 'run-?']) {
      const text = BASE.replace(
        'teams: [a-team]',
        `teams: [a-team]\n    include_project_pattern: '${pattern}'`,
      );
      expect(parseConfigText(text, 'config.yaml').companies[0]?.include_project_pattern).toBe(pattern);
    }
  });

  it('loads the repository config.yaml and the Python original’s config unchanged', async () => {
    const config = await loadConfig(join(import.meta.dirname, '..', '..', '..', 'config.yaml'));
    expect(config.companies.length).toBeGreaterThanOrEqual(15);
    // The fork's keys, including ones this product does not use, load as they are.
    const dir = await mkdtemp(join(tmpdir(), 'config-'));
    const legacy = `enable_alert: true\nignore_tags: ["other_gpu", "others_gpu"]\nwandb_dir: /tmp\nmax_workers: 2\nblacklist: { entity: geniac-gpu, project: gpu-dashboard2, artifact_name: blacklist }\n${BASE.replace('artifact_name: all_runs_data', 'artifact_name: all_runs_data, deleted_runs_artifact_name: deleted_runs_data').replace('teams: [a-team]', 'teams: [a-team]\n    distributed_learning: false\n    include_project_pattern: "gpu-info"')}`;
    await writeFile(join(dir, 'config.yaml'), legacy);
    const loaded = await loadConfig(join(dir, 'config.yaml'));
    expect(loaded.max_workers).toBe(2);
    expect(await readFile(join(dir, 'config.yaml'), 'utf8')).toBe(legacy);
  });

  it('names a config file it cannot read', async () => {
    await expect(loadConfig('/nonexistent/config.yaml')).rejects.toThrow(
      /\/nonexistent\/config\.yaml.*cannot read the file \(ENOENT\)/s,
    );
  });
});
