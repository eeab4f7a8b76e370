import { describe, expect, it } from 'vitest';
import { mergeDataset } from '../../../src/product/uploader/merge-dataset.js';
import { makeRunDay } from '../../helpers/builders.js';

const OLD = '2025-01-09T00:15:00.000000';
const NEW = '2025-01-10T00:15:00.000000';

describe('mergeDataset (docs/behaviour.md §5)', () => {
  it('upserts by (date, team, project, run id): later logged_at wins whole, prior rows the fetch missed stay', () => {
    const prior = [
      makeRunDay({ date: '2025-01-08', run_id: 'a', duration_hour: 1, logged_at: OLD }),
      makeRunDay({ date: '2025-01-09', run_id: 'a', duration_hour: 2, logged_at: OLD }),
      makeRunDay({ date: '2025-01-09', run_id: 'gone', duration_hour: 3, logged_at: OLD }),
    ];
    const fresh = [
      makeRunDay({ date: '2025-01-09', run_id: 'a', duration_hour: 5, state: 'running', logged_at: NEW }),
      makeRunDay({ date: '2025-01-10', run_id: 'a', duration_hour: 6, logged_at: NEW }),
    ];
    const merged = mergeDataset(prior, [], fresh);
    expect(merged.rows.map((r) => [r.date, r.run_id, r.duration_hour, r.state])).toEqual([
      ['2025-01-10', 'a', 6, 'finished'],
      ['2025-01-09', 'a', 5, 'running'],
      ['2025-01-09', 'gone', 3, 'finished'],
      ['2025-01-08', 'a', 1, 'finished'],
    ]);
    expect([merged.added, merged.replaced, merged.keptPrior]).toEqual([1, 1, 0]);
  });

  it('keeps a prior row whose logged_at is later (a backfill older than the last nightly run)', () => {
    const prior = [makeRunDay({ date: '2025-01-09', duration_hour: 9, logged_at: NEW })];
    const fresh = [makeRunDay({ date: '2025-01-09', duration_hour: 1, logged_at: OLD })];
    const merged = mergeDataset(prior, [], fresh);
    expect(merged.rows.map((r) => r.duration_hour)).toEqual([9]);
    expect(merged.keptPrior).toBe(1);
  });

  it('a tie on logged_at goes to the new row', () => {
    const prior = [makeRunDay({ date: '2025-01-09', duration_hour: 9, logged_at: OLD })];
    const fresh = [makeRunDay({ date: '2025-01-09', duration_hour: 1, logged_at: OLD })];
    expect(mergeDataset(prior, [], fresh).rows.map((r) => r.duration_hour)).toEqual([1]);
  });

  it('new rows carry run_exists = exists when the prior file tracks it; deleted prior rows stay', () => {
    const prior = [
      makeRunDay({ date: '2025-01-08', run_id: 'd', logged_at: OLD, extra: { run_exists: 'deleted' } }),
      makeRunDay({ date: '2025-01-09', run_id: 'a', logged_at: OLD, extra: { run_exists: 'exists' } }),
    ];
    const fresh = [makeRunDay({ date: '2025-01-09', run_id: 'a', logged_at: NEW })];
    const merged = mergeDataset(prior, ['run_exists'], fresh);
    expect(merged.extras).toEqual(['run_exists']);
    expect(merged.rows.map((r) => [r.run_id, r.extra.run_exists])).toEqual([
      ['a', 'exists'],
      ['d', 'deleted'],
    ]);
  });

  it('orders by team, then date descending, then project and run id', () => {
    const rows = [
      makeRunDay({ date: '2025-01-01', company_name: 'b', project: 'p', run_id: 'x' }),
      makeRunDay({ date: '2025-01-02', company_name: 'a', project: 'q', run_id: 'x' }),
      makeRunDay({ date: '2025-01-02', company_name: 'a', project: 'p', run_id: 'y' }),
      makeRunDay({ date: '2025-01-01', company_name: 'a', project: 'p', run_id: 'x' }),
    ];
    expect(
      mergeDataset([], [], rows).rows.map((r) => `${r.company_name}/${r.date}/${r.project}/${r.run_id}`),
    ).toEqual(['a/2025-01-02/p/y', 'a/2025-01-02/q/x', 'a/2025-01-01/p/x', 'b/2025-01-01/p/x']);
  });
});
