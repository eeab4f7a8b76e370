import { namePatternOf } from '../config/name-pattern.js';
import type { Company, Config, GpuCountRule, ValueSource } from '../config/types.js';
import type { IsoDate } from './dates.js';

/**
 * Most GPUs one run can have (docs/behaviour.md §4, §5). The largest published training runs use tens
 * of thousands (Llama 3 405B: 16,384 H100s, https://arxiv.org/abs/2407.21783) and a company's allocation
 * here is far less, so a count past 100,000 is a typo or a hostile value (`num_nodes: 1e20`), not a run.
 * Bounded, GPU hours stay exact: 1e308 GPUs × hours overflows to Infinity, which a table prints as 0.0.
 */
export const MAX_GPU_COUNT = 100_000;

/** What the GPU-count rules read from a run (GraphQL fields, config and summary already JSON-parsed). */
export type GpuCountRun = {
  readonly displayName: string | null;
  readonly description?: string | null | undefined;
  /** The run's config as W&B stores it: top-level values usually wrapped as `{"value": v}`. */
  readonly config: unknown;
  readonly summaryMetrics: unknown;
  readonly runInfo: {
    readonly gpu: string | null;
    readonly gpuCount: number | null;
    readonly cpuCount?: number | null;
  } | null;
  /** Local date (config time zone) of createdAt; `from` compares against it. */
  readonly createdLocalDate: IsoDate;
};

/** Which step gave the count: a rule's index in `gpu_count`, runInfo, the company default, or nothing. */
export type GpuCountSource = number | 'runInfo' | 'default';

export type GpuCountResult =
  | { readonly count: number; readonly source: GpuCountSource }
  | { readonly count: undefined; readonly source: 'none' };

/**
 * GPU count of a run (docs/behaviour.md §2, §4): the first rule whose sources all yield integers in
 * [1, MAX_GPU_COUNT] (nodes × gpus_per_node too), else runInfo.gpuCount when it is one; for runs without
 * GPU info (runInfo null or empty gpu) `default_gpu_count`, when set, replaces that fallback.
 * `count: undefined` means nothing yielded and the caller reports the run: the job never writes a
 * count the dataset reader would refuse.
 */
export function gpuCountFor(
  run: GpuCountRun,
  company: Pick<Company, 'gpu_count' | 'default_gpu_count'>,
  config: Pick<Config, 'gpus_per_node'>,
): GpuCountResult {
  for (const [index, rule] of company.gpu_count.entries()) {
    const count = applyRule(rule, run, config.gpus_per_node);
    if (count !== undefined) return { count, source: index };
  }
  const hasGpuInfo = Boolean(run.runInfo?.gpu);
  if (!hasGpuInfo && company.default_gpu_count !== undefined) {
    const count = toGpuCount(company.default_gpu_count);
    return count === undefined ? NO_COUNT : { count, source: 'default' };
  }
  const fromRunInfo = toGpuCount(run.runInfo?.gpuCount);
  if (fromRunInfo !== undefined) return { count: fromRunInfo, source: 'runInfo' };
  return NO_COUNT;
}

const NO_COUNT: GpuCountResult = { count: undefined, source: 'none' };

function applyRule(rule: GpuCountRule, run: GpuCountRun, defaultGpusPerNode: number): number | undefined {
  if (rule.from !== undefined && run.createdLocalDate < rule.from) return undefined;
  if (rule.gpus !== undefined) return readSource(rule.gpus, run);
  if (rule.nodes === undefined) return undefined;
  const nodes = readSource(rule.nodes, run);
  if (nodes === undefined) return undefined;
  const perNode =
    rule.gpus_per_node === undefined
      ? defaultGpusPerNode
      : typeof rule.gpus_per_node === 'number'
        ? rule.gpus_per_node
        : firstCount(asList(rule.gpus_per_node.config), (path) => configValue(run.config, path));
  // The product must fit the bound as well as each factor read from the run.
  return perNode === undefined ? undefined : toGpuCount(nodes * perNode);
}

function readSource(source: ValueSource, run: GpuCountRun): number | undefined {
  if ('config' in source) return firstCount(asList(source.config), (path) => configValue(run.config, path));
  if ('summary' in source)
    return firstCount(asList(source.summary), (path) => walk(run.summaryMetrics, path));
  const pattern = namePatternOf(source);
  return firstCount([run.displayName, run.description], (text) =>
    typeof text === 'string' ? pattern.firstGroup(text) : undefined,
  );
}

function firstCount<T>(candidates: readonly T[], read: (candidate: T) => unknown): number | undefined {
  for (const candidate of candidates) {
    const value = toGpuCount(read(candidate));
    if (value !== undefined) return value;
  }
  return undefined;
}

function asList(paths: string | readonly string[]): readonly string[] {
  return typeof paths === 'string' ? [paths] : paths;
}

/**
 * A dotted path into a W&B config. Each step looks the key up in the object, or, when the object
 * is a `{"value": …}` wrapper without that key, inside its value; the end value is unwrapped too.
 * So `trainer.num_nodes` reads `{"trainer":{"value":{"num_nodes":2}}}` and unwrapped configs
 * (written by @wandb/sdk) alike.
 */
export function configValue(config: unknown, path: string): unknown {
  let current: unknown = config;
  for (const key of path.split('.')) {
    if (!isRecord(current)) return undefined;
    if (Object.hasOwn(current, key)) current = current[key];
    else if (isRecord(current.value) && Object.hasOwn(current.value, key)) current = current.value[key];
    else return undefined;
  }
  return unwrap(current);
}

function unwrap(value: unknown): unknown {
  return isRecord(value) && Object.hasOwn(value, 'value') ? value.value : value;
}

/** Plain dotted walk: summaries are not wrapped. */
function walk(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const key of path.split('.')) {
    if (!isRecord(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * JSON integers, integral floats and digit strings (surrounding blanks allowed) in [1, MAX_GPU_COUNT]:
 * a GPU count, and a node count or GPUs per node, each of which is at most the GPUs it stands for.
 */
export function toGpuCount(value: unknown): number | undefined {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) n = Number(value.trim());
  return n !== undefined && Number.isInteger(n) && n > 0 && n <= MAX_GPU_COUNT ? n : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
