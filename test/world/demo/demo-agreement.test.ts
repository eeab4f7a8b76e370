// The demo proves that `run` and `check` agree (docs/behaviour.md §7, §8): the morning after every night
// the dashboard is healthy, and after the last night `check` reports exactly what the fleet planted,
// worked out from the fleet manifest (not from the product's tables), compared by check, kind and subject.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport, Finding } from '../../../src/product/checker/types.js';
import { loadConfig } from '../../../src/product/config/load.js';
import { addDays, type IsoDate } from '../../../src/product/shared/dates.js';
import { demoCheck } from '../../../src/world/cli/demo.js';
import { type DemoResult, runDemo } from '../../../src/world/demo/run-demo.js';
import { plantedFindings, sortFindings } from '../../../src/world/fleet/planted-findings.js';
import type { FleetManifest } from '../../../src/world/fleet/types.js';
import { checkAgainst } from '../../helpers/check-now.js';
import { fixedClock } from '../../helpers/fakes.js';
import { API_KEY, tempDir } from '../../helpers/local-wandb.js';

const configPath = fileURLToPath(new URL('../../../demo/config.yaml', import.meta.url));

let result: DemoResult;
let dir: string;
const mornings = new Map<IsoDate, readonly Finding[]>();

beforeAll(async () => {
  dir = await tempDir('demo-agreement-');
  let id = 0;
  result = await runDemo(
    {
      dir,
      configText: await readFile(configPath, 'utf8'),
      configSource: configPath,
      seed: 1,
      apiKey: API_KEY,
    },
    {
      // 12:00 in Tokyo on 2025-06-15: the demo replays 2025-06-01 … 2025-06-14.
      clock: fixedClock('2025-06-15T03:00:00Z'),
      randomId: () => `demo${String(++id).padStart(4, '0')}`,
      check: demoCheck,
      afterJob: async ({ date, serverUrl }) => {
        const morning = `${addDays(date, 1)}T00:00:00Z`;
        const report = await checkAgainst(
          { url: serverUrl },
          API_KEY,
          join(dir, 'config.yaml'),
          date,
          morning,
        );
        mornings.set(date, report.findings);
      },
    },
  );
}, 180_000);
afterAll(async () => result?.server.close());

const keyOf = (f: { check: string; kind: string; subject?: string | undefined }) => ({
  check: f.check,
  kind: f.kind,
  subject: f.subject ?? '',
});

describe('the demo: run and check agree', () => {
  it('leaves nothing wrong with the dashboard the morning after each night', () => {
    expect([...mornings.keys()]).toHaveLength(14);
    for (const [date, findings] of mornings) {
      expect(
        findings.filter((f) => f.check === 'dashboard'),
        date,
      ).toEqual([]);
    }
  });

  it('has check report exactly what the fleet manifest planted', async () => {
    const manifest = JSON.parse(await readFile(join(dir, 'fleet-manifest.json'), 'utf8')) as FleetManifest;
    const config = await loadConfig(join(dir, 'config.yaml'));
    const planted = plantedFindings(manifest, config, result.end);
    const report = JSON.parse(await readFile(join(dir, 'check-report.json'), 'utf8')) as CheckReport;
    expect(sortFindings(report.findings.map(keyOf))).toEqual(planted);
    // The plan is not trivially empty: it holds duplicate-init groups and the planted drop.
    expect(new Set(planted.map((f) => f.kind))).toEqual(new Set(['duplicate_init', 'utilization_drop']));
    expect(report.checks.dashboard).toBe('ok');
    expect(report.checks.job_log).toBe('ok');
  });
});
