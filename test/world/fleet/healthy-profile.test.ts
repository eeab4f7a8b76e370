import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/product/config/load.js';
import type { Company, Config } from '../../../src/product/config/types.js';
import { nodesOn } from '../../../src/product/shared/calendar.js';
import {
  addDays,
  dateRange,
  type IsoDate,
  localDateOf,
  parseWandbTime,
  startOfLocalDay,
} from '../../../src/product/shared/dates.js';
import { gpuCountFor } from '../../../src/product/shared/gpu-count.js';
import { configWithCompanies } from '../../../src/world/fleet/companies.js';
import { planFleet } from '../../../src/world/fleet/generate.js';
import { HEALTHY_BUSY_SHARE } from '../../../src/world/fleet/healthy-jobs.js';
import type { FleetManifest, SeedRun } from '../../../src/world/fleet/types.js';
import { writeSeed } from '../../../src/world/fleet/write-seed.js';
import { loadRepoConfig, memorySink, unplantedOverlaps } from '../../helpers/fleet.js';

const repo = await loadRepoConfig();
const ZONE = repo.timezone;
const HOUR_MS = 3600_000;

/** The repo config with abeja going from 6 to 3 nodes on 2025-04-15, so a schedule change falls in the range. */
function configWithNodeChange(): Config {
  const companies = repo.companies.map(
    (c): Company =>
      c.company === 'abeja-geniac'
        ? {
            ...c,
            schedule: [
              c.schedule[0]!,
              { date: '2025-04-15' as IsoDate, assigned_gpu_node: 3 },
              c.schedule[1]!,
            ],
          }
        : c,
  );
  const result = validateConfig({ ...configWithCompanies(repo, []), companies });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

function generate(config: Config, options: { seed: number; days?: number; endDate?: IsoDate }) {
  const fleet = planFleet(config, { size: 'small', profile: 'healthy', ...options });
  const builder = fleet.manifestBuilder();
  const runs: SeedRun[] = [];
  for (const { team, planned } of fleet.runs()) {
    builder.add(team, planned);
    runs.push(planned.run);
  }
  return { fleet, runs, manifest: builder.finish() };
}

const ms = (text: string) => parseWandbTime(text)!;

/** Company → date → GPU hours of counted runs (the tables' Σ duration × gpu_count), split by whether the run is in a duplicate group. */
function usage(config: Config, runs: readonly SeedRun[], manifest: FleetManifest) {
  const grouped = new Set(
    manifest.planted.duplicateGroups.flatMap((g) => g.runs.map((r) => `${g.entity}/${r}`)),
  );
  const excluded = new Set(manifest.planted.excludedProjects.map((p) => `${p.entity}/${p.project}`));
  const out = new Map<string, { work: number; groups: number }>();
  for (const run of runs) {
    if (excluded.has(`${run.entity}/${run.project}`)) continue;
    const company = config.companies.find((c) => c.teams.includes(run.entity))!;
    const createdLocalDate = localDateOf(new Date(ms(run.createdAt)), ZONE);
    const { count } = gpuCountFor({ ...run, createdLocalDate }, company, config);
    const [start, end] = [ms(run.createdAt), ms(run.heartbeatAt)];
    for (const date of dateRange(createdLocalDate, localDateOf(new Date(end), ZONE))) {
      const from = Math.max(start, startOfLocalDay(date, ZONE));
      const to = Math.min(end, startOfLocalDay(addDays(date, 1), ZONE));
      const key = `${company.company}/${date}`;
      const day = out.get(key) ?? { work: 0, groups: 0 };
      day[grouped.has(`${run.entity}/${run.name}`) ? 'groups' : 'work'] +=
        ((to - from) / HOUR_MS) * (count ?? 0);
      out.set(key, day);
    }
  }
  return out;
}

describe.each([
  { name: 'the small fleet (14 days)', config: repo, options: { seed: 7 } },
  {
    name: '30 days over allocation ends and a node change',
    config: configWithNodeChange(),
    options: { seed: 3, days: 30, endDate: '2025-05-03' as IsoDate },
  },
])('healthy profile: $name', ({ config, options }) => {
  const { fleet, runs, manifest } = generate(config, options);
  const { planted } = manifest;

  it('plants no problem but duplicate-init groups, at least one per team with nodes', () => {
    expect(manifest.profile).toBe('healthy');
    expect(planted.noGpuRuns).toEqual([]);
    expect(planted.ignoreTaggedRuns).toEqual([]);
    expect(planted.zeroLengthRuns).toEqual([]);
    expect(planted.noMetricsRuns).toEqual([]);
    expect(planted.multiDayRuns).toEqual([]);
    expect(planted.outsideAllocationRuns).toEqual([]);
    expect(planted.lowUtilizationTeams).toEqual([]);
    expect(new Set(planted.duplicateGroups.map((g) => g.entity))).toEqual(
      new Set(fleet.teams.map((t) => t.team)),
    );
    for (const run of runs) {
      expect(run.runInfo).toEqual({ gpu: expect.any(String), gpuCount: config.gpus_per_node, cpuCount: 192 });
      expect('systemMetricsPattern' in run).toBe(true);
    }
  });

  it('overlaps runs on a host only in the planted groups, which run on a host outside the allocation', () => {
    expect(unplantedOverlaps(runs, planted)).toEqual([]);
    for (const group of planted.duplicateGroups) {
      const company = config.companies.find((c) => c.teams.includes(group.entity))!;
      const hostNumber = Number(group.host.slice(group.host.lastIndexOf('-') + 1));
      const allocated = dateRange(fleet.startDate, fleet.endDate).map((d) => nodesOn(company, d));
      expect(hostNumber).toBe(Math.max(...allocated) + 1);
      expect(group.runs.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('keeps every company with nodes busy 45–65 % of every day, and within its allocation with the groups', () => {
    const byDay = usage(config, runs, manifest);
    let days = 0;
    for (const company of fleet.companies) {
      for (const date of dateRange(fleet.startDate, fleet.endDate)) {
        const nodes = nodesOn(company, date);
        const day = byDay.get(`${company.company}/${date}`) ?? { work: 0, groups: 0 };
        if (nodes === 0) {
          expect(day.work + day.groups, `${company.company} ${date}`).toBe(0);
          continue;
        }
        const assigned = nodes * config.gpus_per_node * 24;
        // The 2-minute gaps between a host's runs take up to 0.3 % off the drawn share.
        expect(day.work / assigned, `${company.company} ${date}`).toBeGreaterThan(
          HEALTHY_BUSY_SHARE.min - 0.005,
        );
        expect(day.work / assigned, `${company.company} ${date}`).toBeLessThanOrEqual(HEALTHY_BUSY_SHARE.max);
        expect(day.work + day.groups, `${company.company} ${date}`).toBeLessThan(assigned);
        days++;
      }
    }
    expect(days).toBeGreaterThan(50);
  });

  it('lets runs cross midnight only by half an hour or more on each side (so each day has samples)', () => {
    expect(planted.crossMidnightRuns.length).toBeGreaterThan(0);
    for (const ref of planted.crossMidnightRuns) {
      const run = runs.find((r) => r.entity === ref.entity && r.name === ref.run)!;
      const midnight = startOfLocalDay(localDateOf(new Date(ms(run.heartbeatAt)), ZONE), ZONE);
      expect(midnight - ms(run.createdAt)).toBeGreaterThanOrEqual(HOUR_MS / 2);
      expect(ms(run.heartbeatAt) - midnight).toBeGreaterThanOrEqual(HOUR_MS / 2);
    }
  });
});

describe('profiles and determinism', () => {
  const file = async (profile: 'default' | 'healthy' | undefined, seed = 7) => {
    const sink = memorySink();
    await writeSeed(planFleet(repo, { size: 'small', seed, days: 5, profile }), sink.stream, false);
    return sink.bytes();
  };

  it('gives byte-identical healthy files for a seed, and leaves the default profile as it was', async () => {
    const [a, b, other] = [await file('healthy'), await file('healthy'), await file('healthy', 8)];
    expect(a.equals(b)).toBe(true);
    expect(a.equals(other)).toBe(false);
    const [unset, explicit] = [await file(undefined), await file('default')];
    expect(unset.equals(explicit)).toBe(true);
    expect(unset.equals(a)).toBe(false);
  });
});
