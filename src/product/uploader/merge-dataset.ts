import { compareCodePoints } from '../shared/compare.js';
import { RUN_EXISTS_COLUMN, type RunDay, runDayKey } from '../shared/run-day.js';

type MergeResult = {
  readonly rows: RunDay[];
  readonly extras: readonly string[];
  readonly added: number;
  readonly replaced: number;
  /** New rows that lost to a prior row with a later logged_at. */
  readonly keptPrior: number;
};

/**
 * Upserts fresh run-day rows into the prior dataset (docs/behaviour.md §5). The key is
 * (date, company_name, project, run_id); the later logged_at wins whole, a tie goes to the
 * fresh row; prior rows the fresh fetch did not produce stay. When the prior file tracks
 * run_exists, fresh rows without a value of their own carry 'exists' (parity: the Python original drops rows whose cell is empty).
 */
export function mergeDataset(
  prior: readonly RunDay[],
  priorExtras: readonly string[],
  fresh: readonly RunDay[],
): MergeResult {
  const tracksExistence = priorExtras.includes(RUN_EXISTS_COLUMN);
  const byKey = new Map<string, RunDay>();
  for (const row of prior) byKey.set(runDayKey(row), row);
  let added = 0;
  let replaced = 0;
  let keptPrior = 0;
  for (const row of fresh) {
    const key = runDayKey(row);
    const existing = byKey.get(key);
    if (existing && existing.logged_at > row.logged_at) {
      keptPrior++;
      continue;
    }
    if (existing) replaced++;
    else added++;
    // A row that already says (one folded in from another version) keeps what it says.
    const stamp = tracksExistence && row.extra[RUN_EXISTS_COLUMN] === undefined;
    byKey.set(key, stamp ? { ...row, extra: { ...row.extra, [RUN_EXISTS_COLUMN]: 'exists' } } : row);
  }
  const rows = [...byKey.values()].sort(compareDatasetOrder);
  return { rows, extras: priorExtras, added, replaced, keptPrior };
}

/** The file's row order: team, then date descending, then project and run id. */
export function compareDatasetOrder(a: RunDay, b: RunDay): number {
  return (
    compareCodePoints(a.company_name, b.company_name) ||
    compareCodePoints(b.date, a.date) ||
    compareCodePoints(a.project, b.project) ||
    compareCodePoints(a.run_id, b.run_id)
  );
}
