import type { Config } from '../config/types.js';
import { companiesWithNodesOn } from '../shared/calendar.js';
import { compareCodePoints } from '../shared/compare.js';
import type { IsoDate } from '../shared/dates.js';
import { OVERALL_TAG } from '../shared/names.js';
import type { Finding } from './types.js';

/** What the health check needs of a run carrying `latest`. */
export type LatestRun = {
  readonly id: string;
  readonly displayName: string;
  readonly tags: readonly string[];
};

/** `overall` plus every company with nodes on T: the tags that must each hold exactly one `latest` run. */
export function expectedDashboardTags(config: Config, target: IsoDate): string[] {
  return [OVERALL_TAG, ...companiesWithNodesOn(config, target)];
}

/**
 * Dashboard health (docs/behaviour.md §8): one `latest` run per expected tag, each with exactly one other tag
 * and a name ending `_<T>`; no tag missing, doubled or extra.
 */
export function dashboardFindings(
  runs: readonly LatestRun[],
  expected: readonly string[],
  latestTag: string,
  target: IsoDate,
): Finding[] {
  const findings: Finding[] = [];
  const byTag = new Map<string, string[]>();
  for (const run of [...runs].sort((a, b) => compareCodePoints(a.id, b.id))) {
    const others = run.tags.filter((t) => t !== latestTag);
    if (others.length !== 1) {
      findings.push({
        check: 'dashboard',
        kind: 'tags',
        message: `run ${run.id} (${run.displayName}) carries ${others.length} tags besides ${latestTag} (${others.join(', ') || 'none'}); expected one`,
        details: { run: run.id, tags: run.tags },
      });
    }
    if (!run.displayName.endsWith(`_${target}`)) {
      findings.push({
        check: 'dashboard',
        kind: 'stale',
        ...(others.length === 1 ? { subject: others[0] } : {}),
        message: `run ${run.id} is named ${run.displayName}, not ..._${target}`,
        details: { run: run.id, name: run.displayName },
      });
    }
    for (const tag of others) byTag.set(tag, [...(byTag.get(tag) ?? []), run.id]);
  }
  const wanted = new Set(expected);
  for (const tag of expected) {
    const ids = byTag.get(tag) ?? [];
    if (ids.length === 0) {
      findings.push({
        check: 'dashboard',
        kind: 'missing',
        subject: tag,
        message: `${tag}: no ${latestTag} run`,
      });
    } else if (ids.length > 1) {
      findings.push({
        check: 'dashboard',
        kind: 'doubled',
        subject: tag,
        message: `${tag}: ${ids.length} ${latestTag} runs (${ids.join(', ')}); expected one`,
        details: { runs: ids },
      });
    }
  }
  for (const [tag, ids] of [...byTag].sort(([a], [b]) => compareCodePoints(a, b))) {
    if (wanted.has(tag)) continue;
    findings.push({
      check: 'dashboard',
      kind: 'extra',
      subject: tag,
      message: `${tag}: ${latestTag} run ${ids.join(', ')} for a tag with no nodes on ${target}`,
      details: { runs: ids },
    });
  }
  return findings;
}
