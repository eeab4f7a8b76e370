import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/product/config/load.js';
import type { GpuCountRule } from '../../../src/product/config/types.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import {
  configValue,
  gpuCountFor,
  MAX_GPU_COUNT,
  toGpuCount,
} from '../../../src/product/shared/gpu-count.js';
import { makeCompany, makeGpuCountRun } from '../../helpers/builders.js';

const TOP = { gpus_per_node: 8 };
const countWith = (rules: GpuCountRule[], run = makeGpuCountRun(), gpusPerNode = 8) =>
  gpuCountFor(run, makeCompany({ gpu_count: rules }), { gpus_per_node: gpusPerNode });

describe('toGpuCount', () => {
  it.each([
    [2, 2],
    [2.0, 2],
    ['2', 2],
    [' 8 ', 8],
    ['08', 8],
  ])('accepts %j as %d', (input, expected) => expect(toGpuCount(input)).toBe(expected));

  it.each([
    [true],
    [false],
    [12.5],
    ['2.0'],
    ['auto'],
    ['two'],
    [''],
    [0],
    [-2],
    ['-2'],
    [null],
    [{}],
    [[2]],
  ])('rejects %j', (input) => expect(toGpuCount(input)).toBeUndefined());
});

describe('configValue', () => {
  it('walks into the value wrapper of a top-level key', () => {
    expect(configValue({ trainer: { value: { num_nodes: 2 } } }, 'trainer.num_nodes')).toBe(2);
  });
  it('unwraps a top-level wrapped value', () => {
    expect(configValue({ num_nodes: { value: 2, desc: null } }, 'num_nodes')).toBe(2);
  });
  it('reads unwrapped configs (written by @wandb/sdk) too', () => {
    expect(configValue({ trainer: { num_nodes: 3 } }, 'trainer.num_nodes')).toBe(3);
  });
  it('accepts an explicit .value step', () => {
    expect(configValue({ trainer: { value: { num_nodes: 2 } } }, 'trainer.value.num_nodes')).toBe(2);
  });
  it('is undefined for a missing step or a non-object on the way', () => {
    expect(configValue({ trainer: { value: 5 } }, 'trainer.num_nodes')).toBeUndefined();
    expect(configValue({}, 'a.b')).toBeUndefined();
  });
});

describe('gpuCountFor: rules', () => {
  it('multiplies nodes by an explicit gpus_per_node', () => {
    const run = makeGpuCountRun({ config: { num_nodes: { value: 2 } } });
    expect(countWith([{ nodes: { config: 'num_nodes' }, gpus_per_node: 4 }], run)).toEqual({
      count: 8,
      source: 0,
    });
  });

  it('uses the top-level gpus_per_node when a nodes rule has none', () => {
    const run = makeGpuCountRun({ config: { num_nodes: { value: 3 } } });
    // 3 nodes x top-level 6 = 18
    expect(countWith([{ nodes: { config: 'num_nodes' } }], run, 6)).toEqual({ count: 18, source: 0 });
  });

  it('reads gpus_per_node from the config, and the rule fails when that does not yield', () => {
    const rule: GpuCountRule = { nodes: { config: 'n' }, gpus_per_node: { config: 'g' } };
    const yields = makeGpuCountRun({ config: { n: { value: 2 }, g: { value: '4' } } });
    expect(countWith([rule], yields)).toEqual({ count: 8, source: 0 });
    const fails = makeGpuCountRun({ config: { n: { value: 2 }, g: { value: 'auto' } } });
    expect(countWith([rule], fails)).toEqual({ count: 8, source: 'runInfo' });
  });

  it('takes the first path of a list that yields a positive integer', () => {
    const rule: GpuCountRule = { nodes: { config: ['NUM_NODES', 'trainer.num_nodes'] } };
    const run = makeGpuCountRun({
      config: { NUM_NODES: { value: 0 }, trainer: { value: { num_nodes: 2 } } },
    });
    // NUM_NODES is 0 (does not apply) so trainer.num_nodes = 2 -> 2 x 8
    expect(countWith([rule], run)).toEqual({ count: 16, source: 0 });
  });

  it('tries the rules in order; the first that yields wins', () => {
    const rules: GpuCountRule[] = [{ gpus: { config: 'world_size' } }, { gpus: { summary: 'gpus' } }];
    const both = makeGpuCountRun({ config: { world_size: { value: 16 } }, summaryMetrics: { gpus: 4 } });
    expect(countWith(rules, both)).toEqual({ count: 16, source: 0 });
    const summaryOnly = makeGpuCountRun({ summaryMetrics: { gpus: 4 } });
    expect(countWith(rules, summaryOnly)).toEqual({ count: 4, source: 1 });
  });

  it('reads summaries by plain dotted path', () => {
    const run = makeGpuCountRun({ summaryMetrics: { dist: { gpus: 24 } } });
    expect(countWith([{ gpus: { summary: 'dist.gpus' } }], run)).toEqual({ count: 24, source: 0 });
  });

  it.each([
    [true],
    [12.5],
    ['2.0'],
    ['auto'],
    [0],
    [-1],
  ])('a rule does not apply when the value is %j', (value) => {
    const run = makeGpuCountRun({ config: { world_size: { value } } });
    expect(countWith([{ gpus: { config: 'world_size' } }], run)).toEqual({ count: 8, source: 'runInfo' });
  });

  it('accepts integral floats and digit strings', () => {
    const float = makeGpuCountRun({ config: { world_size: { value: 16.0 } } });
    const text = makeGpuCountRun({ config: { world_size: { value: ' 24 ' } } });
    expect(countWith([{ gpus: { config: 'world_size' } }], float).count).toBe(16);
    expect(countWith([{ gpus: { config: 'world_size' } }], text).count).toBe(24);
  });

  it('matches name_regex on displayName first, then description, using the first group', () => {
    const rule: GpuCountRule = { nodes: { name_regex: '(\\d+)Nodes?' } };
    const both = makeGpuCountRun({ displayName: 'llm-3Nodes', description: '5Node run' });
    expect(countWith([rule], both)).toEqual({ count: 24, source: 0 });
    const descriptionOnly = makeGpuCountRun({ displayName: 'fiery-sun-12', description: '5Node run' });
    expect(countWith([rule], descriptionOnly)).toEqual({ count: 40, source: 0 });
    // displayName yields 0, which does not apply, so the description is tried
    const zeroName = makeGpuCountRun({ displayName: '0Nodes', description: '2Nodes' });
    expect(countWith([rule], zeroName)).toEqual({ count: 16, source: 0 });
    const none = makeGpuCountRun({ displayName: null, description: null });
    expect(countWith([rule], none)).toEqual({ count: 8, source: 'runInfo' });
  });

  it('applies a rule with `from` to runs created on or after that local date', () => {
    const rule: GpuCountRule = { from: '2025-02-17' as IsoDate, gpus: { config: 'world_size' } };
    const config = { world_size: { value: 32 } };
    const on = makeGpuCountRun({ config, createdLocalDate: '2025-02-17' as IsoDate });
    const before = makeGpuCountRun({ config, createdLocalDate: '2025-02-16' as IsoDate });
    expect(countWith([rule], on)).toEqual({ count: 32, source: 0 });
    expect(countWith([rule], before)).toEqual({ count: 8, source: 'runInfo' });
  });
});

describe('gpuCountFor: fallbacks', () => {
  it('falls back to runInfo.gpuCount when no rule applies', () => {
    const run = makeGpuCountRun({ runInfo: { gpu: 'H100', gpuCount: 4, cpuCount: 48 } });
    expect(countWith([], run)).toEqual({ count: 4, source: 'runInfo' });
  });

  it('uses default_gpu_count for runs without GPU info (null runInfo or empty gpu)', () => {
    const company = makeCompany({ require_gpu_info: false, default_gpu_count: 8 });
    const nullInfo = makeGpuCountRun({ runInfo: null });
    const emptyGpu = makeGpuCountRun({ runInfo: { gpu: '', gpuCount: 2, cpuCount: 8 } });
    expect(gpuCountFor(nullInfo, company, TOP)).toEqual({ count: 8, source: 'default' });
    // the default replaces runInfo.gpuCount (2) for a run without a GPU name
    expect(gpuCountFor(emptyGpu, company, TOP)).toEqual({ count: 8, source: 'default' });
  });

  it('keeps runInfo.gpuCount for runs with GPU info even when a default is set', () => {
    const company = makeCompany({ require_gpu_info: false, default_gpu_count: 8 });
    const run = makeGpuCountRun({ runInfo: { gpu: 'H100', gpuCount: 4, cpuCount: 48 } });
    expect(gpuCountFor(run, company, TOP)).toEqual({ count: 4, source: 'runInfo' });
  });

  it('rules come before the default', () => {
    const company = makeCompany({ default_gpu_count: 8, gpu_count: [{ gpus: { summary: 'gpus' } }] });
    const run = makeGpuCountRun({ runInfo: null, summaryMetrics: { gpus: 2 } });
    expect(gpuCountFor(run, company, TOP)).toEqual({ count: 2, source: 0 });
  });

  it('yields nothing when no rule, no positive gpuCount and no default apply', () => {
    expect(countWith([], makeGpuCountRun({ runInfo: null }))).toEqual({ count: undefined, source: 'none' });
    const zero = makeGpuCountRun({ runInfo: { gpu: 'H100', gpuCount: 0, cpuCount: 8 } });
    expect(countWith([], zero)).toEqual({ count: undefined, source: 'none' });
  });
});

describe('gpuCountFor: counts past MAX_GPU_COUNT apply as non-integers do (the job never writes one)', () => {
  it.each([
    [MAX_GPU_COUNT, MAX_GPU_COUNT],
    [String(MAX_GPU_COUNT), MAX_GPU_COUNT],
  ])('toGpuCount accepts the bound %j', (input, expected) => expect(toGpuCount(input)).toBe(expected));

  it.each([
    [MAX_GPU_COUNT + 1],
    [String(MAX_GPU_COUNT + 1)],
    [1e15],
    [1e20],
    [1e308],
    [Number.POSITIVE_INFINITY],
  ])('toGpuCount rejects %j', (input) => expect(toGpuCount(input)).toBeUndefined());

  it('a nodes rule whose nodes × gpus_per_node passes the bound falls to the next rule', () => {
    // 20,000 nodes (itself within the bound) × 8 = 160,000 GPUs.
    const run = makeGpuCountRun({ config: { num_nodes: { value: 20_000 } }, summaryMetrics: { gpus: 16 } });
    const rules: GpuCountRule[] = [{ nodes: { config: 'num_nodes' } }, { gpus: { summary: 'gpus' } }];
    expect(countWith(rules, run)).toEqual({ count: 16, source: 1 });
  });

  it('a source of 1e20 or 1e15 does not apply; runInfo then gives the count', () => {
    for (const nodes of [1e20, 1e15]) {
      const run = makeGpuCountRun({ config: { num_nodes: { value: nodes } } });
      expect(countWith([{ nodes: { config: 'num_nodes' } }], run)).toEqual({ count: 8, source: 'runInfo' });
      expect(countWith([{ gpus: { config: 'num_nodes' } }], run)).toEqual({ count: 8, source: 'runInfo' });
    }
  });

  it('a runInfo.gpuCount or default_gpu_count past the bound leaves the run without a count', () => {
    const huge = makeGpuCountRun({ runInfo: { gpu: 'H100', gpuCount: 1e15, cpuCount: 8 } });
    expect(countWith([], huge)).toEqual({ count: undefined, source: 'none' });
    const company = makeCompany({ require_gpu_info: false, default_gpu_count: MAX_GPU_COUNT + 1 });
    expect(gpuCountFor(makeGpuCountRun({ runInfo: null }), company, TOP)).toEqual({
      count: undefined,
      source: 'none',
    });
  });
});

/**
 * One representative run per company of the repo's config.yaml, built the way the fork's
 * src/tracker/set_gpucount.py reads runs (wrapped config, notes in `description`); each expected
 * number is what that Python code returns for the run, worked out by hand.
 */
const repoConfig = await loadConfig(fileURLToPath(new URL('../../../config.yaml', import.meta.url)));

describe('gpuCountFor: repo config.yaml matches the Python set_gpucount', () => {
  const config = repoConfig;
  const countFor = (team: string, overrides: Parameters<typeof makeGpuCountRun>[0]) => {
    const company = config.companies.find((c) => c.teams.includes(team));
    if (!company) throw new Error(`no company for ${team}`);
    return gpuCountFor(makeGpuCountRun(overrides), company, config).count;
  };
  const wandb = { _wandb: { value: { cli_version: '0.19.1' } } };

  it.each<[string, Parameters<typeof makeGpuCountRun>[0], number, string]>([
    // NUM_NODES absent; "trainer" lands on trainer.value, a dict, so its num_nodes 2 -> 2 x 8.
    ['abeja-geniac', { config: { ...wandb, trainer: { value: { num_nodes: 2, lr: 1e-4 } } } }, 16, 'trainer'],
    // calculate_gpu_count returns summary["gpus"] as is.
    ['aidealab-geniac', { summaryMetrics: { gpus: 16, loss: 1.2 } }, 16, 'summary gpus'],
    // "nnodes" not in config, trainer.value is a dict -> int(trainer.value.nnodes) x 8 = 4 x 8.
    ['aihub-geniac', { config: { trainer: { value: { nnodes: 4 } } } }, 32, 'trainer.nnodes'],
    // get_config_value("nnodes") unwraps to 3; aiinside multiplies by 8.
    ['aiinside-geniac', { config: { nnodes: { value: 3 } } }, 24, 'nnodes'],
    // TEAM_CONFIGS entry None -> runInfo.gpuCount.
    ['eques-geniac', { runInfo: { gpu: 'NVIDIA H100 80GB HBM3', gpuCount: 4, cpuCount: 48 } }, 4, 'runInfo'],
    // num_nodes 4, num_gpus 8 -> 4 x 8.
    [
      'kotoba-geniac',
      { config: { num_nodes: { value: 4 }, num_gpus: { value: 8 } } },
      32,
      'nodes x num_gpus',
    ],
    // num_gpus missing -> get_config_value gives 0 -> "Using num_nodes as GPU count" -> 4.
    ['kotoba-geniac', { config: { num_nodes: { value: 4 } } }, 4, 'num_nodes as GPUs'],
    // num_nodes 2 x num_gpus_per_node 8.
    ['nablas-geniac', { config: { num_nodes: { value: 2 }, num_gpus_per_node: { value: 8 } } }, 16, 'nodes'],
    // created on/after 2025-02-17, gpuCount 8 >= 8, description[-6] = "2" and ends with "Nodes" -> 2 x 8.
    ['syntheticgestalt-geniac', { description: 'llm-pretrain-2Nodes' }, 16, 'notes suffix'],
    // created before 2025-02-17 -> runInfo.gpuCount (8), the notes are not read.
    [
      'syntheticgestalt-geniac',
      { description: 'llm-2Nodes', createdLocalDate: '2025-02-16' as IsoDate },
      8,
      'before',
    ],
    // get_config_value("NNODES") = 4 -> 4 x 8.
    ['alt-geniac', { config: { NNODES: { value: 4 } } }, 32, 'NNODES'],
    ['jamstec-geniac', {}, 8, 'runInfo'],
    ['stockmark-geniac', {}, 8, 'runInfo'],
    // runInfo present with an empty gpu -> the datagrid branch returns 8 before anything else.
    ['datagrid-geniac', { runInfo: { gpu: '', gpuCount: 0, cpuCount: 32 } }, 8, 'no GPU info'],
    // GPU present -> TEAM_CONFIGS entry None -> runInfo.gpuCount.
    [
      'datagrid-geniac',
      { runInfo: { gpu: 'NVIDIA H100 80GB HBM3', gpuCount: 4, cpuCount: 48 } },
      4,
      'runInfo',
    ],
    ['humanome-geniac', {}, 8, 'runInfo'],
    // world_size = 16, gpu_key None -> calculate_gpu_count returns num_nodes (= world_size) itself.
    ['future-geniac', { config: { world_size: { value: 16 } } }, 16, 'world_size'],
    // re.match(r'(\d+)Node', description) -> 2 -> 2 x 8; NNODES/NUM_GPUS are never read for ricoh.
    ['ricoh-geniac', { description: '2Node-sft', config: { NNODES: { value: 4 } } }, 16, 'notes prefix'],
  ])('%s (%s): %d', (team, overrides, expected) => {
    expect(countFor(team, overrides)).toBe(expected);
  });
});
