import type { IsoDate } from '../shared/dates.js';
import type { GpuCountRule, ParsedConfig } from './schema.js';

export type { GpuCountRule, ValueSource } from './schema.js';

export type ScheduleEntry = { readonly date: IsoDate; readonly assigned_gpu_node: number };

export type Company = Readonly<
  Omit<ParsedConfig['companies'][number], 'schedule' | 'gpu_count'> & {
    schedule: readonly ScheduleEntry[];
    gpu_count: readonly GpuCountRule[];
  }
>;

/** The validated, frozen configuration every stage receives. */
export type Config = Readonly<
  Omit<ParsedConfig, 'companies'> & {
    companies: readonly Company[];
    /** 0 = Sunday … 6 = Saturday, from week_starts_on. */
    weekStartIndex: number;
  }
>;

/** One problem found in a config, at its dot path (`companies[2].schedule[0].date`). */
export type ConfigIssue = { readonly path: string; readonly message: string };
