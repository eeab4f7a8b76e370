import { describe, expect, it } from 'vitest';
import { planFleet } from '../../../src/world/fleet/generate.js';
import { writeSeed } from '../../../src/world/fleet/write-seed.js';
import { validateSeed } from '../../../src/world/local-wandb/seeding/read-seed.js';
import { loadRepoConfig, memorySink } from '../../helpers/fleet.js';

const config = await loadRepoConfig();

async function smallFile(seed: number): Promise<Buffer> {
  const sink = memorySink();
  await writeSeed(planFleet(config, { size: 'small', seed }), sink.stream, true);
  return sink.bytes();
}

describe('writeSeed', () => {
  it('writes byte-identical files for one seed and different files for another', async () => {
    const [a, b, c] = [await smallFile(7), await smallFile(7), await smallFile(8)];
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it('writes JSON the local server accepts as a seed, with inlined metrics for small', async () => {
    const json: unknown = JSON.parse((await smallFile(7)).toString('utf8'));
    const result = validateSeed(json);
    expect(result.ok).toBe(true);
    const runs = (json as { runs: Record<string, unknown>[] }).runs;
    expect(runs.every((r) => Array.isArray(r.systemMetrics) && !('systemMetricsPattern' in r))).toBe(true);
  });

  it('writes patterns instead of rows when metrics are not inlined', async () => {
    const sink = memorySink();
    const result = await writeSeed(planFleet(config, { size: 'small', seed: 7 }), sink.stream, false);
    const json = JSON.parse(sink.bytes().toString('utf8')) as { runs: Record<string, unknown>[] };
    expect(json.runs).toHaveLength(result.runs);
    expect(json.runs.filter((r) => 'systemMetricsPattern' in r).length).toBe(
      result.runs - result.manifest.planted.noMetricsRuns.length,
    );
    expect(result.bytes).toBe(sink.bytes().length);
  });
});
