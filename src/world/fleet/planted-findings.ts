import type { Config } from '../../product/config/types.js';
import { nodesOn } from '../../product/shared/calendar.js';
import { compareCodePoints } from '../../product/shared/compare.js';
import { addDays, type IsoDate, startOfLocalDay } from '../../product/shared/dates.js';
import { allocation } from './generate.js';
import type { FleetManifest } from './types.js';

/** A `check` finding as the fleet's plan predicts it: its check, kind and subject. */
export type PlantedFinding = { readonly check: string; readonly kind: string; readonly subject: string };

/** Days of check's duplicate-init look-back, T included (docs/behaviour.md §8). */
const DUPLICATE_WINDOW_DAYS = 7;

/**
 * What `check --date target` must report the morning after the nightly jobs over a generated fleet,
 * worked out from what the generator planted (never from the product's own tables), sorted:
 * - a duplicate-init finding per planted group whose overlap meets the 7 days up to the end of T,
 *   inside its company's allocation (the subject is the team);
 * - `no_metrics` for a company with nodes on T and a planted run without metrics that lasts into T;
 * - `utilization_drop` for each company whose usage on T the plan cut (`utilizationDrops`).
 * Nothing else: the dashboard and the job log are expected healthy.
 */
export function plantedFindings(manifest: FleetManifest, config: Config, target: IsoDate): PlantedFinding[] {
  const zone = config.timezone;
  const companyOf = new Map(config.companies.flatMap((c) => c.teams.map((t) => [t, c] as const)));
  const dayStart = startOfLocalDay(target, zone) / 1000;
  const dayEnd = startOfLocalDay(addDays(target, 1), zone) / 1000;
  const windowStart = startOfLocalDay(addDays(target, 1 - DUPLICATE_WINDOW_DAYS), zone) / 1000;
  const found: PlantedFinding[] = [];
  for (const group of manifest.planted.duplicateGroups) {
    const company = companyOf.get(group.entity);
    if (!company) continue;
    const { allocStart, allocEnd } = allocation(company, zone);
    const from = Math.max(group.overlap.start, windowStart, allocStart);
    const to = Math.min(group.overlap.end, dayEnd, allocEnd);
    if (to > from) found.push({ check: 'duplicate_init', kind: 'duplicate_init', subject: group.entity });
  }
  const noMetrics = new Set<string>();
  for (const run of manifest.planted.noMetricsRuns) {
    const company = companyOf.get(run.entity);
    if (company && nodesOn(company, target) > 0 && run.endSec > dayStart && run.createdSec < dayEnd) {
      noMetrics.add(company.company);
    }
  }
  for (const company of noMetrics) found.push({ check: 'anomalies', kind: 'no_metrics', subject: company });
  for (const drop of manifest.planted.utilizationDrops) {
    if (drop.date === target)
      found.push({ check: 'anomalies', kind: 'utilization_drop', subject: drop.company });
  }
  return sortFindings(found);
}

/** Findings in one order (check, kind, subject), so two lists compare as multisets. */
export function sortFindings<T extends PlantedFinding>(findings: readonly T[]): T[] {
  return [...findings].sort(
    (a, b) =>
      compareCodePoints(a.check, b.check) ||
      compareCodePoints(a.kind, b.kind) ||
      compareCodePoints(a.subject, b.subject),
  );
}

/** Findings check reported that the plan does not predict, and planted ones it missed (as multisets). */
export function unexplainedFindings(
  found: readonly { readonly check: string; readonly kind: string; readonly subject?: string | undefined }[],
  planted: readonly PlantedFinding[],
): { readonly unplanted: PlantedFinding[]; readonly missed: PlantedFinding[] } {
  const key = (f: PlantedFinding) => `${f.check}/${f.kind}/${f.subject}`;
  const left = new Map<string, PlantedFinding[]>();
  for (const f of planted) left.set(key(f), [...(left.get(key(f)) ?? []), f]);
  const unplanted: PlantedFinding[] = [];
  for (const f of found) {
    const finding = { check: f.check, kind: f.kind, subject: f.subject ?? '' };
    const same = left.get(key(finding));
    if (same && same.length > 0) same.pop();
    else unplanted.push(finding);
  }
  return { unplanted: sortFindings(unplanted), missed: sortFindings([...left.values()].flat()) };
}
