// The run listing rests only on documented W&B fields: runs whose updatedAt stayed at creation while
// their heartbeat moved on are counted like any other.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/product/shared/dates.js';
import type { SeedRun } from '../../src/world/fleet/types.js';
import {
  FLEET_CONFIG,
  FLEET_TEAMS,
  type FleetJobWorld,
  runFleetJob,
  startFleetJobWorld,
} from '../helpers/fleet-job.js';

// The nightly job's range: T alone. Local day T in Asia/Tokyo (UTC+9, no DST) as UTC epoch ms.
const T = '2025-03-09';
const RANGE_START = Date.parse('2025-03-08T15:00:00Z');
const RANGE_END = Date.parse('2025-03-09T15:00:00Z');
const utc = (text: string) => Date.parse(`${text}Z`);

/** Runs of the configured teams that the counting rules count in the range, read straight from the seed. */
function countedInRange(runs: readonly SeedRun[]): SeedRun[] {
  return runs
    .filter((r) => FLEET_TEAMS.has(r.entity) && (r.runInfo?.gpu ?? '') !== '')
    .filter((r) => utc(r.createdAt) < utc(r.heartbeatAt))
    .filter((r) => utc(r.createdAt) < RANGE_END && utc(r.heartbeatAt) > RANGE_START);
}

describe('run: listing on createdAt and heartbeat order', () => {
  let world: FleetJobWorld;
  let rows: Record<string, string>[];
  beforeAll(async () => {
    world = await startFleetJobWorld(FLEET_CONFIG, { seed: 7, days: 21, endDate: '2025-03-10' as IsoDate });
    const result = await runFleetJob(world, '2025-03-10T03:00:00Z', [
      '--start-date',
      T,
      '--end-date',
      T,
      '--out',
      'out',
    ]);
    expect(result.stderr).not.toContain('"level":"error"');
    expect(result.code).toBe(0);
    rows = parse(await readFile(join(world.dir, 'out', 'dataset.csv')), { columns: true });
  }, 120_000);
  afterAll(() => world?.server.close());

  it('counts the runs whose updatedAt stayed at creation, among them runs created before the range', () => {
    const stale = new Set(world.manifest.planted.staleUpdatedAtRuns.map((r) => r.run));
    const expected = countedInRange(world.runs);
    // The world has what the test is about: stale runs in the range that started before it.
    const staleEarly = expected.filter((r) => stale.has(r.name) && utc(r.createdAt) < RANGE_START);
    expect(staleEarly.length).toBeGreaterThan(0);
    const counted = new Set(rows.map((r) => r.run_id));
    expect([...counted].sort()).toEqual(expected.map((r) => r.name).sort());
  });
});
