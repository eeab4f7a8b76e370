import type { Company, Config, GpuCountRule, ValueSource } from '../config/types.js';
import type { IsoDate } from './dates.js';

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
 * GPU count of a run (docs/behaviour.md §2, §4): the first rule whose sources all yield positive integers,
 * else runInfo.gpuCount when positive; for runs without GPU info (runInfo null or empty gpu)
 * `default_gpu_count`, when set, replaces that fallback. `count: undefined` means nothing
 * yielded and the caller reports the run.
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
    return { count: company.default_gpu_count, source: 'default' };
  }
  const fromRunInfo = toPositiveInt(run.runInfo?.gpuCount);
  if (fromRunInfo !== undefined) return { count: fromRunInfo, source: 'runInfo' };
  return { count: undefined, source: 'none' };
}

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
        : firstPositive(asList(rule.gpus_per_node.config), (path) => configValue(run.config, path));
  return perNode === undefined ? undefined : nodes * perNode;
}

function readSource(source: ValueSource, run: GpuCountRun): number | undefined {
  if ('config' in source)
    return firstPositive(asList(source.config), (path) => configValue(run.config, path));
  if ('summary' in source)
    return firstPositive(asList(source.summary), (path) => walk(run.summaryMetrics, path));
  const pattern = new RegExp(source.name_regex);
  return firstPositive([run.displayName, run.description], (text) =>
    typeof text === 'string' ? pattern.exec(text)?.[1] : undefined,
  );
}

function firstPositive<T>(candidates: readonly T[], read: (candidate: T) => unknown): number | undefined {
  for (const candidate of candidates) {
    const value = toPositiveInt(read(candidate));
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

/** JSON integers, integral floats and digit strings (surrounding blanks allowed), when > 0. */
export function toPositiveInt(value: unknown): number | undefined {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) n = Number(value.trim());
  return n !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
