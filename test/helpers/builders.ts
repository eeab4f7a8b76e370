import { validateConfig } from '../../src/product/config/load.js';
import type { Company, Config } from '../../src/product/config/types.js';
import type { IsoDate } from '../../src/product/shared/dates.js';
import type { GpuCountRun } from '../../src/product/shared/gpu-count.js';
import type { RunDay } from '../../src/product/shared/run-day.js';

/** A dataset row with harmless defaults; override what the test is about. */
export function makeRunDay(overrides: Omit<Partial<RunDay>, 'date'> & { date: string }): RunDay {
  return {
    company_name: 'alpha-team',
    project: 'proj',
    run_id: 'run1',
    tags: [],
    created_at: `${overrides.date}T00:00:00.000000`,
    updated_at: `${overrides.date}T01:00:00.000000`,
    state: 'finished',
    duration_hour: 1,
    gpu_count: 8,
    average_gpu_utilization: null,
    average_gpu_memory: null,
    max_gpu_utilization: null,
    max_gpu_memory: null,
    host_name: 'host-1',
    logged_at: '2025-01-10T00:15:00.000000',
    cpu_count: null,
    username: '',
    extra: {},
    ...overrides,
    date: overrides.date as IsoDate,
  };
}

/** A valid config from a partial raw (YAML-shaped) object; throws on invalid input so tests fail loudly. */
export function makeConfig(raw: Record<string, unknown>): Config {
  const result = validateConfig({
    dashboard: { entity: 'dash', project: 'dashboard' },
    dataset: { entity: 'dash', project: 'dashboard' },
    ...raw,
  });
  if (!result.ok) throw new Error(`test config invalid: ${JSON.stringify(result.issues)}`);
  return result.value;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A run as the GPU-count rules see it: one full H100 node, created 2025-03-01 (local), empty config. */
export function makeGpuCountRun(overrides: Partial<Mutable<GpuCountRun>> = {}): GpuCountRun {
  return {
    displayName: 'fiery-sun-12',
    description: '',
    config: {},
    summaryMetrics: {},
    runInfo: { gpu: 'NVIDIA H100 80GB HBM3', gpuCount: 8, cpuCount: 96 },
    createdLocalDate: '2025-03-01' as IsoDate,
    ...overrides,
  };
}

/** A company with one team of the same name, 2 nodes from 2024-10-25 until 2025-04-24, no rules. */
export function makeCompany(overrides: Partial<Mutable<Company>> = {}): Company {
  const name = overrides.company ?? 'acme-geniac';
  return {
    company: name,
    teams: [name],
    schedule: [
      { date: '2024-10-25' as IsoDate, assigned_gpu_node: 2 },
      { date: '2025-04-24' as IsoDate, assigned_gpu_node: 0 },
    ],
    require_gpu_info: true,
    gpu_count: [],
    ...overrides,
  };
}
