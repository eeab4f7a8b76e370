// The allocation outlook as the dashboard leads with it (docs/behaviour.md §13): read from the Tables the
// overall run publishes (`allocation_outlook`, and this month's idle GPU-hours from `monthly_gpu_usage`),
// so the job's page, `gpu-dashboard report`, the Report and the digest say the same thing.
import { LABELS } from '../calculator/index.js';
import { formatNumber } from './html.js';
import type { Cell, TableData } from './types.js';

export const OUTLOOK_TABLE = 'allocation_outlook';
export const MONTHLY_TABLE = 'monthly_gpu_usage';

export type OutlookLead = {
  readonly company: string;
  readonly month: string;
  /** `at risk`, `on track` or `not started` (any other text is shown as it is). */
  readonly status: string;
  readonly pacePercent: number | null;
  readonly projectedUsePercent: number | null;
  readonly usedToDate: number;
  readonly allocatedToDate: number;
  readonly allocatedRest: number;
  /** This month's idle GPU-hours so far (the monthly table's row); null when it has none. */
  readonly idleGpuHour: number | null;
};

const STATUS_ORDER: Readonly<Record<string, number>> = { 'at risk': 0, 'on track': 1, 'not started': 2 };

/**
 * The outlook rows, companies `at risk` first, then `on track`, then `not started`, each group in the
 * table's order (projected use ascending); undefined when the run has no outlook table (an older run).
 */
export function outlookLead(tables: Readonly<Record<string, TableData>>): OutlookLead[] | undefined {
  const outlook = tables[OUTLOOK_TABLE];
  if (!outlook) return undefined;
  const cell = columnReader(outlook);
  const monthly = tables[MONTHLY_TABLE];
  const idle = new Map<string, number>();
  if (monthly) {
    const m = columnReader(monthly);
    for (const row of monthly.rows) {
      const value = m(row, 'idle_gpu_hour');
      if (typeof value === 'number')
        idle.set(`${m(row, LABELS.company)}\u0000${m(row, LABELS.month)}`, value);
    }
  }
  const leads = outlook.rows.map((row): OutlookLead => {
    const company = String(cell(row, 'company') ?? '');
    const month = String(cell(row, 'month') ?? '');
    return {
      company,
      month,
      status: String(cell(row, 'status') ?? ''),
      pacePercent: numberOrNull(cell(row, 'pace_percent')),
      projectedUsePercent: numberOrNull(cell(row, 'projected_use_percent')),
      usedToDate: numberOrNull(cell(row, 'used_gpu_hour_to_date')) ?? 0,
      allocatedToDate: numberOrNull(cell(row, 'allocated_gpu_hour_to_date')) ?? 0,
      allocatedRest: numberOrNull(cell(row, 'allocated_gpu_hour_rest')) ?? 0,
      idleGpuHour: idle.get(`${company}\u0000${month}`) ?? null,
    };
  });
  // A stable sort: within a status the table's order (projected use ascending) stays.
  return leads.sort((a, b) => (STATUS_ORDER[a.status] ?? 3) - (STATUS_ORDER[b.status] ?? 3));
}

/** One line of plain text on a company's outlook (the caller escapes it for where it goes). */
export function outlookSentence(lead: OutlookLead): string {
  const idle = lead.idleGpuHour === null ? '' : `; ${formatNumber(lead.idleGpuHour)} idle GPU h so far`;
  if (lead.projectedUsePercent === null || lead.pacePercent === null) {
    return `${lead.status}: allocation starts later this month (${formatNumber(lead.allocatedRest)} GPU h to come)`;
  }
  return `${lead.status}: projected ${formatNumber(lead.projectedUsePercent)} % of ${lead.month}'s allocation, pace ${formatNumber(lead.pacePercent)} % over the last 7 days${idle}`;
}

function columnReader(table: TableData): (row: readonly Cell[], label: string) => Cell | undefined {
  const index = new Map(table.columns.map((label, i) => [label, i] as const));
  return (row, label) => {
    const i = index.get(label);
    return i === undefined ? undefined : row[i];
  };
}

function numberOrNull(cell: Cell | undefined): number | null {
  return typeof cell === 'number' && Number.isFinite(cell) ? cell : null;
}
