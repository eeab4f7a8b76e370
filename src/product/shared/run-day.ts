import type { IsoDate } from './dates.js';

/** The dataset's columns written by the Python original, in its order (docs/behaviour.md §4). */
export const ORIGINAL_COLUMNS = [
  'date',
  'company_name',
  'project',
  'run_id',
  'tags',
  'created_at',
  'updated_at',
  'state',
  'duration_hour',
  'gpu_count',
  'average_gpu_utilization',
  'average_gpu_memory',
  'max_gpu_utilization',
  'max_gpu_memory',
  'host_name',
  'logged_at',
] as const;

/** Our extension columns, written after the original ones in this order; older files may lack them. */
export const CPU_COUNT_COLUMN = 'cpu_count';
export const USERNAME_COLUMN = 'username';
export const RUN_EXISTS_COLUMN = 'run_exists';

/**
 * One run on one local day. Datetimes are local wall-clock times in the configured zone,
 * canonical 'YYYY-MM-DDTHH:MM:SS.ffffff', so they compare correctly as strings.
 */
export type RunDay = {
  readonly date: IsoDate;
  /** The W&B team (entity); the legacy name is kept for compatibility. */
  readonly company_name: string;
  readonly project: string;
  readonly run_id: string;
  readonly tags: readonly string[];
  readonly created_at: string;
  readonly updated_at: string;
  readonly state: string;
  readonly duration_hour: number;
  readonly gpu_count: number | null;
  readonly average_gpu_utilization: number | null;
  readonly average_gpu_memory: number | null;
  readonly max_gpu_utilization: number | null;
  readonly max_gpu_memory: number | null;
  readonly host_name: string;
  readonly logged_at: string;
  readonly cpu_count: number | null;
  /** The W&B user who ran it; empty when W&B gave none or the file predates the column. */
  readonly username: string;
  /** Columns of older files this product does not interpret (e.g. run_exists), by name. */
  readonly extra: Readonly<Record<string, string>>;
};

export function runDayKey(row: Pick<RunDay, 'date' | 'company_name' | 'project' | 'run_id'>): string {
  return `${row.date}\u0000${row.company_name}\u0000${row.project}\u0000${row.run_id}`;
}

export function isDeleted(row: RunDay): boolean {
  return row.extra[RUN_EXISTS_COLUMN] === 'deleted';
}
