import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import { localDateOf, parseWandbTime } from '../../../src/product/shared/dates.js';
import { gpuCountFor } from '../../../src/product/shared/gpu-count.js';
import { planFleet } from '../../../src/world/fleet/generate.js';
import { globToRegExp } from '../../../src/world/fleet/glob.js';
import type { FleetManifest, SeedRun } from '../../../src/world/fleet/types.js';
import { patternAllRows } from '../../../src/world/seed/metrics-pattern.js';
import { loadRepoConfig, unplantedOverlaps } from '../../helpers/fleet.js';

const config = await loadRepoConfig();
const ZONE = config.timezone;
const fleet = planFleet(config, { size: 'small', seed: 7 });
const builder = fleet.manifestBuilder();
const runs: SeedRun[] = [];
for (const { team, planned } of fleet.runs()) {
  builder.add(team, planned);
  runs.push(planned.run);
}
const manifest: FleetManifest = builder.finish();
const { planted } = manifest;
const key = (entity: string, project: string, name: string) => `${entity}/${project}/${name}`;
const byKey = new Map(runs.map((r) => [key(r.entity, r.project, r.name), r]));
const runOf = (ref: { entity: string; project: string; run: string }) =>
  byKey.get(key(ref.entity, ref.project, ref.run))!;
const ms = (text: string) => parseWandbTime(text)!;

describe('planFleet small', () => {
  it('has a few companies, ~100 runs over 14 days, and the dashboard entity', () => {
    expect(manifest.companies.length).toBeGreaterThanOrEqual(3);
    expect(manifest.companies.length).toBeLessThanOrEqual(5);
    expect(runs.length).toBeGreaterThanOrEqual(80);
    expect(runs.length).toBeLessThanOrEqual(130);
    expect(manifest.startDate).toBe('2025-04-10');
    expect(manifest.endDate).toBe('2025-04-23'); // the day before stockmark's and syntheticgestalt's end
    expect(fleet.header.entities.map((e) => e.name)).toContain('geniac-gpu');
    expect(fleet.header.viewer).toBe('geniac-gpu');
  });

  it('writes valid W&B DateTimes with createdAt <= heartbeatAt <= updatedAt, or updatedAt left at creation', () => {
    const format = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
    const stale = new Set(planted.staleUpdatedAtRuns.map((r) => r.run));
    for (const r of runs) {
      for (const t of [r.createdAt, r.heartbeatAt, r.updatedAt]) expect(t).toMatch(format);
      expect(ms(r.createdAt)).toBeLessThanOrEqual(ms(r.heartbeatAt));
      if (stale.has(r.name)) expect(r.updatedAt).toBe(r.createdAt);
      else expect(ms(r.heartbeatAt)).toBeLessThanOrEqual(ms(r.updatedAt));
    }
    // About one run in five (lag values 0, 5, …, 60 of 0–60).
    expect(stale.size / runs.length).toBeGreaterThan(0.1);
    expect(stale.size / runs.length).toBeLessThan(0.35);
    for (const p of fleet.header.projects) expect(p.createdAt).toMatch(format);
  });

  it('plants duplicate-init groups: 2–8 overlapping runs of one team on one host, started within seconds', () => {
    expect(planted.duplicateGroups.length).toBeGreaterThanOrEqual(3);
    for (const group of planted.duplicateGroups) {
      expect(group.runs.length).toBeGreaterThanOrEqual(2);
      expect(group.runs.length).toBeLessThanOrEqual(8);
      const members = group.runs.map((run) => runOf({ ...group, run }));
      expect(new Set(members.map((m) => m.host))).toEqual(new Set([group.host]));
      const starts = members.map((m) => ms(m.createdAt));
      expect(Math.max(...starts) - Math.min(...starts)).toBeLessThanOrEqual(30_000);
      expect(Math.min(...members.map((m) => ms(m.heartbeatAt)))).toBeGreaterThan(Math.max(...starts));
    }
  });

  it('has no other overlapping runs of a team on a host (so the checker finds exactly the planted groups)', () => {
    expect(unplantedOverlaps(runs, planted)).toEqual([]);
  });

  it('plants runs without GPU info, ignore-tagged, zero-length and metric-less runs', () => {
    expect(new Set(planted.noGpuRuns.map((r) => r.runInfo))).toEqual(new Set(['null', 'empty-gpu']));
    for (const ref of planted.noGpuRuns) {
      const info = runOf(ref).runInfo;
      expect(ref.runInfo === 'null' ? info === null : info?.gpu === '').toBe(true);
    }
    expect(planted.ignoreTaggedRuns.length).toBeGreaterThanOrEqual(3);
    const ignore = config.ignore_tags.map((t) => t.toLowerCase());
    for (const ref of planted.ignoreTaggedRuns) {
      expect(runOf(ref).tags.some((t) => ignore.includes(t.toLowerCase()))).toBe(true);
    }
    const tagged = runs.filter((r) => r.tags.some((t) => ignore.includes(t.toLowerCase())));
    expect(tagged.length).toBe(planted.ignoreTaggedRuns.length);
    expect(planted.zeroLengthRuns.length).toBeGreaterThanOrEqual(3);
    for (const ref of planted.zeroLengthRuns) expect(runOf(ref).createdAt).toBe(runOf(ref).heartbeatAt);
    for (const ref of planted.noMetricsRuns) expect(runOf(ref)).toMatchObject({ systemMetrics: [] });
  });

  it('has runs crossing local midnight, a multi-day run, multi-node hosts and runs outside the allocation', () => {
    expect(planted.crossMidnightRuns.length).toBeGreaterThanOrEqual(3);
    for (const ref of planted.crossMidnightRuns) {
      const r = runOf(ref);
      expect(localDateOf(new Date(ms(r.createdAt)), ZONE)).not.toBe(
        localDateOf(new Date(ms(r.heartbeatAt)), ZONE),
      );
    }
    expect(planted.multiDayRuns.length).toBeGreaterThanOrEqual(1);
    expect(runs.some((r) => /-node-(0[3-9]|[1-9]\d)$/.test(r.host))).toBe(true);
    expect(planted.outsideAllocationRuns.length).toBeGreaterThanOrEqual(1);
    for (const ref of planted.outsideAllocationRuns) {
      const company = config.companies.find((c) => c.teams.includes(ref.entity))!;
      const first = company.schedule[0]!.date;
      const last = company.schedule[company.schedule.length - 1]!;
      const r = runOf(ref);
      const before = localDateOf(new Date(ms(r.heartbeatAt)), ZONE) < first;
      const after = last.assigned_gpu_node === 0 && localDateOf(new Date(ms(r.createdAt)), ZONE) > last.date;
      expect(before || after).toBe(true);
    }
  });

  it('keeps most runs inside their allocation window', () => {
    expect(planted.outsideAllocationRuns.length / runs.length).toBeLessThan(0.1);
  });

  it('samples GPU metrics every 15–30 s, some keys with a /l: label, some with memoryAllocated', () => {
    let labelled = 0;
    let allocated = 0;
    for (const r of runs) {
      if (!('systemMetricsPattern' in r)) continue;
      const rows = patternAllRows(r.systemMetricsPattern);
      const times = rows.map((row) => row._timestamp as number);
      for (let i = 1; i < times.length; i++) {
        expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(15);
        expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(30);
      }
      const keys = Object.keys(rows[0] ?? {});
      if (keys.some((k) => /^system\.gpu\.\d+\.gpu\/l:.+$/.test(k))) labelled++;
      if (keys.some((k) => k.includes('.memoryAllocated'))) allocated++;
      if (r.runInfo?.gpu && rows.length > 0)
        expect(keys.filter((k) => /^system\.gpu\.\d+\.gpu/.test(k))).toHaveLength(r.runInfo.gpuCount);
    }
    expect(labelled).toBeGreaterThan(0);
    expect(allocated).toBeGreaterThan(0);
  });

  it("feeds the companies' gpu_count rules so they fire with the planted node counts", () => {
    expect(planted.ruleFedRuns.length).toBeGreaterThanOrEqual(5);
    const fedCompanies = new Set(planted.ruleFedRuns.map((r) => r.entity));
    expect(fedCompanies).toEqual(new Set(['abeja-geniac', 'aidealab-geniac', 'syntheticgestalt-geniac']));
    for (const ref of planted.ruleFedRuns) {
      const r = runOf(ref);
      const company = config.companies.find((c) => c.teams.includes(ref.entity))!;
      const result = gpuCountFor(
        {
          ...r,
          createdLocalDate: localDateOf(new Date(ms(r.createdAt)), ZONE) as IsoDate,
        },
        company,
        config,
      );
      expect(result).toEqual({ count: ref.expectedGpuCount, source: ref.rule });
      expect(ref.expectedGpuCount).toBe(ref.nodes * config.gpus_per_node);
    }
  });

  it("names projects that the company's include pattern keeps and some it leaves out", () => {
    const stockmark = fleet.header.projects.filter((p) => p.entity === 'stockmark-geniac').map((p) => p.name);
    const include = globToRegExp('gpu-info');
    expect(stockmark.filter((n) => include.test(n))).toEqual(['gpu-info']);
    expect(planted.excludedProjects.filter((p) => p.entity === 'stockmark-geniac').length).toBeGreaterThan(0);
    for (const p of planted.excludedProjects) {
      expect(runs.some((r) => r.entity === p.entity && r.project === p.project)).toBe(true);
    }
  });

  it('marks a low-utilisation team', () => {
    expect(planted.lowUtilizationTeams.length).toBeGreaterThanOrEqual(1);
  });

  it('gives runs one of a handful of team users, about 5 % none, one user per duplicate-init group', () => {
    const withoutUser = runs.filter((r) => r.user === null);
    expect(runs.every((r) => r.user !== undefined)).toBe(true);
    expect(withoutUser.length).toBeGreaterThan(0);
    expect(withoutUser.length / runs.length).toBeLessThan(0.12);
    for (const team of fleet.teams) {
      const users = new Set(
        runs.filter((r) => r.entity === team.team && r.user).map((r) => r.user!.username),
      );
      expect(users.size, team.team).toBeGreaterThanOrEqual(2);
      expect(users.size, team.team).toBeLessThanOrEqual(6);
      // Every team has a run without a user.
      expect(
        runs.some((r) => r.entity === team.team && r.user === null),
        team.team,
      ).toBe(true);
    }
    for (const r of runs) {
      if (!r.user) continue;
      expect(r.user.username).toMatch(/^[a-z]+-[a-z]+$/);
      // kenji-sato is always 'Kenji Sato'.
      expect(r.user.name).toBe(
        r.user.username.replace(
          /(^|-)([a-z])/g,
          (_, sep: string, c: string) => `${sep ? ' ' : ''}${c.toUpperCase()}`,
        ),
      );
    }
    for (const group of planted.duplicateGroups) {
      const users = new Set(group.runs.map((run) => runOf({ ...group, run }).user?.username ?? null));
      expect(users.size).toBe(1);
    }
  });

  it('gives the same users for the same seed', () => {
    const again = [...planFleet(config, { size: 'small', seed: 7 }).runs()].map(
      ({ planned }) => planned.run.user,
    );
    expect(again).toEqual(runs.map((r) => r.user));
  });
});
