import type { Company, GpuCountRule, ValueSource } from '../../product/config/types.js';
import type { IsoDate } from '../../product/shared/dates.js';
import { gpuCountFor } from '../../product/shared/gpu-count.js';
import type { Random } from '../seed/random.js';

/** Run fields that make a company's gpu_count rule fire, and the count the rules then give. */
export type RuleFeed = {
  readonly rule: number;
  readonly config: Record<string, unknown>;
  readonly summary: Record<string, unknown>;
  readonly description: string | undefined;
  readonly expectedGpuCount: number;
};

/** Notes texts tried, in order, until the company's name_regex captures the wanted number. */
const NOTE_TEMPLATES = [
  (n: string) => `${n}Nodes`,
  (n: string) => `${n}Node-sft`,
  (n: string) => `pretrain-${n}Nodes`,
  (n: string) => `${n}Node`,
  (n: string) => `${n}nodes`,
  (n: string) => `nodes=${n}`,
];

/**
 * Builds config / summary / notes so that rule `rule` of `company` yields `nodes` nodes (or
 * nodes × gpusPerNode GPUs). Prefers the first rule that applies on `createdLocalDate`, sometimes a
 * later one; the choice is checked with the tracker's own gpuCountFor so the manifest is exact.
 */
export function feedRules(
  company: Pick<Company, 'gpu_count' | 'default_gpu_count'>,
  gpusPerNode: number,
  createdLocalDate: IsoDate,
  nodes: number,
  random: Random,
): RuleFeed | undefined {
  const applicable = company.gpu_count
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => rule.from === undefined || rule.from <= createdLocalDate);
  if (applicable.length === 0) return undefined;
  const preferred = random.chance(0.2) ? random.pick(applicable) : applicable[0];
  for (const candidate of preferred === applicable[0] ? applicable : [preferred, ...applicable]) {
    if (!candidate) continue;
    const feed = feedOne(candidate.rule, gpusPerNode, nodes, random);
    if (!feed) continue;
    const result = gpuCountFor(
      {
        displayName: null,
        description: feed.description,
        config: feed.config,
        summaryMetrics: feed.summary,
        runInfo: { gpu: 'NVIDIA H100 80GB HBM3', gpuCount: gpusPerNode },
        createdLocalDate,
      },
      company,
      { gpus_per_node: gpusPerNode },
    );
    if (result.source === candidate.index && result.count === feed.intended) {
      return { ...feed, rule: candidate.index, expectedGpuCount: feed.intended };
    }
  }
  return undefined;
}

type Fed = { -readonly [K in keyof Omit<RuleFeed, 'rule' | 'expectedGpuCount'>]: RuleFeed[K] } & {
  intended: number;
};

function feedOne(rule: GpuCountRule, gpusPerNode: number, nodes: number, random: Random): Fed | undefined {
  const fed: Fed = { config: {}, summary: {}, description: undefined, intended: 0 };
  if (rule.gpus !== undefined) {
    fed.intended = nodes * gpusPerNode;
    return setSource(fed, rule.gpus, fed.intended, random) ? fed : undefined;
  }
  if (rule.nodes === undefined) return undefined;
  const perNode = rule.gpus_per_node;
  if (typeof perNode === 'object')
    setPath(fed.config, random.pick(asList(perNode.config)), gpusPerNode, true);
  fed.intended = nodes * (typeof perNode === 'number' ? perNode : gpusPerNode);
  return setSource(fed, rule.nodes, nodes, random) ? fed : undefined;
}

function setSource(fed: Fed, source: ValueSource, value: number, random: Random): boolean {
  // Config values are sometimes digit strings, as launch scripts that pass env vars write them.
  const encoded = random.chance(0.15) ? (random.chance(0.5) ? String(value) : ` ${value} `) : value;
  if ('config' in source) {
    setPath(fed.config, random.pick(asList(source.config)), encoded, true);
    return true;
  }
  if ('summary' in source) {
    setPath(fed.summary, random.pick(asList(source.summary)), value, false);
    return true;
  }
  const pattern = new RegExp(source.name_regex);
  const text = NOTE_TEMPLATES.map((t) => t(String(value))).find(
    (t) => pattern.exec(t)?.[1] === String(value),
  );
  fed.description = text;
  return text !== undefined;
}

/** Sets a dotted path; with `wrap`, the top-level key holds `{"value": …}` as W&B stores config. */
function setPath(root: Record<string, unknown>, path: string, value: unknown, wrap: boolean): void {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  if (rest.length === 0) {
    root[head] = wrap ? { value } : value;
    return;
  }
  const existing = wrap ? (root[head] as { value?: unknown } | undefined)?.value : root[head];
  const inner = (existing ?? {}) as Record<string, unknown>;
  let current = inner;
  for (const key of rest.slice(0, -1)) {
    const next = (current[key] ?? {}) as Record<string, unknown>;
    current[key] = next;
    current = next;
  }
  current[rest[rest.length - 1] as string] = value;
  root[head] = wrap ? { value: inner } : inner;
}

function asList(paths: string | readonly string[]): readonly string[] {
  return typeof paths === 'string' ? [paths] : paths;
}
