import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDemoConfig } from '../../../src/world/demo/demo-config.js';
import { planDemoFleet } from '../../../src/world/demo/demo-fleet.js';
import { type Fleet, planFleet } from '../../../src/world/fleet/generate.js';

const configPath = fileURLToPath(new URL('../../../demo/config.yaml', import.meta.url));

/** Per team: node-hours of its runs inside its allocation and the fleet's days, over hosts × those hours. */
function busyShare(fleet: Fleet): Map<string, number> {
  const used = new Map<string, number>();
  for (const { team, planned } of fleet.runs()) {
    const from = Math.max(planned.createdSec, team.allocStart, team.genStart);
    const to = Math.min(planned.endSec, team.allocEnd, team.genEnd);
    if (to > from) used.set(team.team, (used.get(team.team) ?? 0) + (to - from) * planned.nodes);
  }
  return new Map(
    fleet.teams.map((t) => {
      const active = Math.min(t.genEnd, t.allocEnd) - Math.max(t.genStart, t.allocStart);
      return [t.team, (used.get(t.team) ?? 0) / (t.hosts * active)];
    }),
  );
}

describe('planDemoFleet', async () => {
  const { config, end } = loadDemoConfig(
    await readFile(configPath, 'utf8'),
    configPath,
    new Date('2025-06-15T03:00:00Z'),
  );
  const fleet = planDemoFleet(config, end, 1);

  it('covers the 14 days ending on the demo end, for every team of the demo config', () => {
    expect([fleet.startDate, fleet.endDate]).toEqual(['2025-06-01', '2025-06-14']);
    expect(fleet.teams.map((t) => t.team)).toEqual([
      'aurora-ai',
      'borealis-lab',
      'borealis-research',
      'cirrus-tech',
      'delta-works',
      'echo-robotics',
    ]);
    expect(fleet.synthesized).toEqual([]);
  });

  it('keeps hosts busy for a realistic share of the allocation, where the small preset leaves them nearly idle', () => {
    const small = busyShare(planFleet(config, { size: 'small', seed: 1, days: 14, endDate: end }));
    for (const [team, share] of busyShare(fleet)) {
      expect(share, team).toBeGreaterThan(0.25);
      expect(share, team).toBeLessThan(1);
      expect(small.get(team), team).toBeLessThan(0.15);
    }
  });

  it("keeps the small fleet's planted cases: every team has a duplicate-init group", () => {
    const teamsWithGroups = new Set<string>();
    for (const { team, planned } of fleet.runs())
      if (planned.duplicateGroup !== undefined) teamsWithGroups.add(team.team);
    expect([...teamsWithGroups].sort()).toEqual(fleet.teams.map((t) => t.team).sort());
  });

  it('gives most runs a W&B user of their team and leaves about 5 % without one', () => {
    const runs = [...fleet.runs()].map(({ planned }) => planned.run);
    const withoutUser = runs.filter((r) => r.user === null).length;
    expect(withoutUser / runs.length).toBeGreaterThan(0.02);
    expect(withoutUser / runs.length).toBeLessThan(0.08);
    for (const team of fleet.teams) {
      const users = new Set(
        runs.filter((r) => r.entity === team.team && r.user).map((r) => r.user?.username),
      );
      expect(users.size, team.team).toBeGreaterThanOrEqual(2);
      expect(users.size, team.team).toBeLessThanOrEqual(6);
    }
  });
});
