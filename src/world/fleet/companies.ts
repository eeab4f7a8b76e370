import type { Company, Config, GpuCountRule } from '../../product/config/types.js';
import { addDays, type IsoDate } from '../../product/shared/dates.js';
import { createRandom, deriveSeed } from '../seed/random.js';
import type { FleetSize } from './sizes.js';

/**
 * Which companies a fleet uses. `small` picks a few that together exercise every kind of
 * config feature; larger sizes take the config's companies in order and, when the config has
 * too few, synthesise more (written out with --config-out so the product can read them).
 */
export function selectCompanies(config: Config, count: number, size: FleetSize): Company[] {
  if (size !== 'small') return config.companies.slice(0, count);
  const picked: Company[] = [];
  for (const feature of FEATURE_PRIORITY) {
    const match = config.companies.find((c) => !picked.includes(c) && featuresOf(c).has(feature));
    if (match && picked.length < count) picked.push(match);
  }
  for (const company of config.companies)
    if (picked.length < count && !picked.includes(company)) picked.push(company);
  // Config order, so the output does not depend on the priority list's order.
  return config.companies.filter((c) => picked.includes(c));
}

const FEATURE_PRIORITY = ['no-gpu-default', 'name_regex', 'summary', 'config', 'include', 'ignore', 'none'];

function featuresOf(company: Company): Set<string> {
  const features = new Set<string>();
  if (!company.require_gpu_info) features.add('no-gpu-default');
  if (company.include_project_pattern) features.add('include');
  if (company.ignore_project_pattern) features.add('ignore');
  if (company.gpu_count.length === 0) features.add('none');
  for (const rule of company.gpu_count) {
    for (const source of [rule.nodes, rule.gpus]) {
      if (source) features.add(Object.keys(source)[0] ?? '');
    }
  }
  return features;
}

/**
 * Default last date of a fleet: the day before the earliest allocation end among `companies`
 * (so nearly every company is active over the whole range); with no ended allocation, `days`
 * after the latest start.
 */
export function defaultEndDate(companies: readonly Company[], days: number): IsoDate {
  const ends = companies
    .map((c) => c.schedule[c.schedule.length - 1])
    .filter((last) => last !== undefined && last.assigned_gpu_node === 0)
    .map((last) => last?.date as IsoDate)
    .sort();
  if (ends[0] !== undefined) return addDays(ends[0], -1);
  const starts = companies.map((c) => c.schedule[0]?.date as IsoDate).sort();
  return addDays(starts[starts.length - 1] ?? ('2025-01-01' as IsoDate), days);
}

const RULE_TEMPLATES: readonly ((start: IsoDate) => Pick<Company, 'gpu_count'> & Partial<Company>)[] = [
  () => ({ gpu_count: [{ nodes: { config: ['num_nodes', 'trainer.num_nodes'] } }] }),
  () => ({ gpu_count: [{ gpus: { summary: 'gpus' } }], ignore_project_pattern: 'scratch-*' }),
  () => ({ gpu_count: [{ nodes: { name_regex: '(\\d+)Nodes?' } }] }),
  () => ({
    gpu_count: [
      { nodes: { config: 'num_nodes' }, gpus_per_node: { config: 'num_gpus' } },
      { gpus: { config: 'num_nodes' } },
    ] satisfies GpuCountRule[],
    include_project_pattern: 'llm-*',
  }),
  (start) => ({ gpu_count: [{ from: addDays(start, 30), gpus: { config: 'world_size' } }] }),
  () => ({ gpu_count: [], require_gpu_info: false, default_gpu_count: 8 }),
];

/** `count` extra companies named synth-NNN-geniac with schedules inside [start, end]. */
export function synthesizeCompanies(count: number, seed: number, start: IsoDate, end: IsoDate): Company[] {
  return Array.from({ length: count }, (_, k) => {
    const random = createRandom(deriveSeed(seed, 100_000 + k));
    const name = `synth-${String(k + 1).padStart(3, '0')}-geniac`;
    const first = addDays(start, random.int(0, 20));
    const schedule = [{ date: first, assigned_gpu_node: random.int(1, 16) }];
    if (random.chance(0.5))
      schedule.push({ date: addDays(first, random.int(40, 120)), assigned_gpu_node: random.int(1, 24) });
    if (random.chance(0.6)) {
      const last = schedule[schedule.length - 1]?.date ?? first;
      const close = addDays(end, random.int(-20, 40));
      schedule.push({ date: close > last ? close : addDays(last, 30), assigned_gpu_node: 0 });
    }
    const template = RULE_TEMPLATES[k % RULE_TEMPLATES.length];
    return {
      company: name,
      teams: [name],
      schedule,
      require_gpu_info: true,
      ...template?.(first),
    } as Company;
  });
}

/** The config (YAML-shaped value) a synthesised fleet needs: the input config plus the extra companies. */
export function configWithCompanies(config: Config, extra: readonly Company[]): Record<string, unknown> {
  const { weekStartIndex: _derived, ...raw } = config;
  return { ...raw, companies: [...config.companies, ...extra] };
}
