import { findDuplicateGroups } from '../alert/duplicate-init.js';
import { addDays, formatLocalTime, type IsoDate, startOfLocalDay } from '../shared/dates.js';
import { type DatasetScan, DUPLICATE_WINDOW_DAYS } from './dataset-scan.js';
import type { Finding } from './types.js';

/**
 * Duplicate-init (docs/behaviour.md §8): runs of one team on one host whose intervals overlap, where the
 * overlap falls in the last 7 days up to the end of T; one finding per group.
 */
export function duplicateFindings(scan: DatasetScan, target: IsoDate, zone: string): Finding[] {
  const from = startOfLocalDay(addDays(target, 1 - DUPLICATE_WINDOW_DAYS), zone);
  const to = startOfLocalDay(addDays(target, 1), zone);
  const time = (ms: number) => formatLocalTime(ms, zone).slice(0, 19);
  return findDuplicateGroups(scan.recentRuns)
    .filter((g) => g.overlapEnd > from && g.overlapStart < to)
    .map((g) => ({
      check: 'duplicate_init',
      kind: 'duplicate_init',
      subject: g.team,
      message: `${g.team} ${g.projects.join(',')} host ${g.host}: ${g.runIds.length} overlapping runs (${g.runIds.join(', ')}) ${time(g.overlapStart)} – ${time(g.overlapEnd)}`,
      details: {
        team: g.team,
        projects: g.projects,
        host: g.host,
        runs: g.runIds,
        overlap_start: time(g.overlapStart),
        overlap_end: time(g.overlapEnd),
      },
    }));
}
