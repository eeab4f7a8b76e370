import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/product/config/load.js';
import { localDateOf, parseWandbTime } from '../../../src/product/shared/dates.js';
import { gpuCountFor } from '../../../src/product/shared/gpu-count.js';
import { configWithCompanies } from '../../../src/world/fleet/companies.js';
import { planFleet } from '../../../src/world/fleet/generate.js';
import type { SeedRun } from '../../../src/world/fleet/types.js';
import { loadRepoConfig, unplantedOverlaps } from '../../helpers/fleet.js';

const config = await loadRepoConfig();

describe('planFleet geniac (runs generated without metrics)', () => {
  const fleet = planFleet(config, { size: 'geniac', seed: 3 });
  const builder = fleet.manifestBuilder();
  const runs: SeedRun[] = [];
  for (const { team, planned } of fleet.runs()) {
    builder.add(team, planned);
    runs.push(planned.run);
  }
  const manifest = builder.finish();

  it('has ~17 companies, ~200 projects and ~20,000 runs over 180 days', () => {
    expect(manifest.companies).toHaveLength(17);
    expect(fleet.synthesized).toHaveLength(2); // the repo config has 15 companies
    expect(manifest.counts.projects).toBeGreaterThanOrEqual(160);
    expect(manifest.counts.projects).toBeLessThanOrEqual(240);
    expect(runs.length).toBeGreaterThanOrEqual(18_000);
    expect(runs.length).toBeLessThanOrEqual(22_000);
    expect(manifest.startDate).toBe('2024-10-25');
    expect(manifest.endDate).toBe('2025-04-22');
  });

  it('uses patterns for metrics and plants every feature', () => {
    expect(runs.filter((r) => 'systemMetricsPattern' in r).length).toBe(
      runs.length - manifest.planted.noMetricsRuns.length,
    );
    for (const [name, list] of Object.entries(manifest.planted)) {
      // Only the demo's fleet plants a utilisation drop (src/world/demo/demo-fleet.ts).
      if (name === 'utilizationDrops') continue;
      expect(list.length, name).toBeGreaterThan(0);
    }
  });

  it('overlaps runs on a host only in planted duplicate-init groups', () => {
    expect(unplantedOverlaps(runs, manifest.planted)).toEqual([]);
  });

  it('writes a config with the synthesised companies that validates', () => {
    const result = validateConfig(configWithCompanies(config, fleet.synthesized));
    expect(result.ok && result.value.companies.map((c) => c.company)).toEqual([
      ...config.companies.map((c) => c.company),
      'synth-001-geniac',
      'synth-002-geniac',
    ]);
  });

  it('feeds every rule-fed run so the rules give nodes x gpus_per_node', () => {
    const companies = [...config.companies, ...fleet.synthesized];
    const byKey = new Map(runs.map((r) => [`${r.entity}/${r.project}/${r.name}`, r]));
    expect(new Set(manifest.planted.ruleFedRuns.map((r) => r.entity)).size).toBeGreaterThanOrEqual(8);
    for (const ref of manifest.planted.ruleFedRuns) {
      const run = byKey.get(`${ref.entity}/${ref.project}/${ref.run}`)!;
      const company = companies.find((c) => c.teams.includes(ref.entity))!;
      const createdLocalDate = localDateOf(new Date(parseWandbTime(run.createdAt)!), config.timezone);
      expect(gpuCountFor({ ...run, createdLocalDate }, company, config)).toEqual({
        count: ref.nodes * config.gpus_per_node,
        source: ref.rule,
      });
    }
  });
});
