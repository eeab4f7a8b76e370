import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsPattern } from '../../../src/world/fleet/types.js';
import { patternRows } from '../../../src/world/seed/metrics-pattern.js';
import { gqlData, startTestServer, tempDir } from '../../helpers/local-wandb.js';
import { writeSeed } from '../../helpers/seed-fixture.js';

// 10 lines: floor((end - start) / intervalSec) = floor(200 / 20).
const PATTERN: MetricsPattern = {
  start: 1730592900,
  end: 1730593100,
  intervalSec: 20,
  gpus: 2,
  seed: 5,
  labelSuffix: null,
  memoryAllocated: false,
  util: { base: 60, amplitude: 20, peakHour: 14, noise: 5, memBase: 10, memPerUtil: 0.5 },
  zone: 'Asia/Tokyo',
};

// Large fleets describe events as a pattern (src/fleet); the server computes only the sampled lines.
describe('local W&B: seeds with systemMetricsPattern', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    const seed = await writeSeed(await tempDir(), {
      entities: [{ name: 'team' }],
      runs: [
        {
          entity: 'team',
          project: 'p',
          name: 'pattern1',
          createdAt: '2024-11-03T00:15:00',
          heartbeatAt: '2024-11-03T00:18:20',
          systemMetricsPattern: PATTERN,
        },
      ],
    });
    server = await startTestServer({ seed });
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves eventsLineCount and evenly sampled pattern lines', async () => {
    const data = await gqlData<{
      project: { run: { eventsLineCount: number; systemMetrics: string; all: string[]; some: string[] } };
    }>(
      server.url,
      'query { project(name: "p", entityName: "team") { run(name: "pattern1") { eventsLineCount systemMetrics all: events(samples: 100) some: events(samples: 4) } } }',
    );
    const { run } = data.project;
    expect(run.eventsLineCount).toBe(10);
    expect(run.all.map((l) => JSON.parse(l))).toEqual(patternRows(PATTERN, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    // round(i * 9 / 3) for i = 0..3 → 0, 3, 6, 9
    expect(run.some.map((l) => JSON.parse(l))).toEqual(patternRows(PATTERN, [0, 3, 6, 9]));
    expect(JSON.parse(run.systemMetrics)).toEqual(patternRows(PATTERN, [9])[0]);
  });
});
