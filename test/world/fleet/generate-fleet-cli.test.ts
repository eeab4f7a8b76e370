import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/product/config/load.js';
import type { FleetManifest } from '../../../src/world/fleet/types.js';
import { repoConfigPath } from '../../helpers/fleet.js';
import { runCliCaptured } from '../../helpers/run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleet-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('gpu-dashboard generate-fleet', () => {
  it('writes the seed file and the manifest, and logs what it wrote', async () => {
    const args = [
      'generate-fleet',
      '--size',
      'small',
      '--config',
      repoConfigPath,
      '--seed',
      '5',
      '--days',
      '3',
    ];
    const result = await runCliCaptured([...args, '--out', 'fleet.json', '--manifest-out', 'manifest.json'], {
      cwd: dir,
    });
    expect(result.code).toBe(0);
    const seed = JSON.parse(await readFile(join(dir, 'fleet.json'), 'utf8')) as { runs: unknown[] };
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as FleetManifest;
    expect(seed.runs).toHaveLength(manifest.counts.runs);
    expect(manifest.startDate).toBe('2025-04-21'); // 3 days ending on the default 2025-04-23
    expect(manifest).not.toHaveProperty('profile');
    const event = JSON.parse(result.stderr.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(event).toMatchObject({ event: 'fleet.generated', size: 'small', seed: 5, inline_metrics: true });
  });

  it('writes the config with synthesised companies on --config-out', async () => {
    const result = await runCliCaptured(
      [
        'generate-fleet',
        '--size',
        'geniac',
        '--config',
        repoConfigPath,
        '--days',
        '2',
        '--end-date',
        '2025-01-15',
      ].concat(['--out', 'geniac.json', '--config-out', 'geniac.yaml']),
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    const written = await loadConfig(join(dir, 'geniac.yaml'));
    expect(written.companies).toHaveLength(17);
    const seed = JSON.parse(await readFile(join(dir, 'geniac.json'), 'utf8')) as {
      runs: Record<string, unknown>[];
    };
    expect(seed.runs.some((r) => 'systemMetricsPattern' in r)).toBe(true);
  });

  it('writes a healthy fleet with --profile healthy: metrics as patterns, the profile in the manifest', async () => {
    const args = ['generate-fleet', '--size', 'small', '--config', repoConfigPath, '--days', '3'];
    const result = await runCliCaptured(
      [...args, '--profile', 'healthy', '--out', 'healthy.json', '--manifest-out', 'healthy-manifest.json'],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    const seed = JSON.parse(await readFile(join(dir, 'healthy.json'), 'utf8')) as {
      runs: Record<string, unknown>[];
    };
    const manifest = JSON.parse(await readFile(join(dir, 'healthy-manifest.json'), 'utf8')) as FleetManifest;
    expect(manifest.profile).toBe('healthy');
    expect(manifest.planted.duplicateGroups.length).toBeGreaterThanOrEqual(manifest.companies.length);
    expect(manifest.planted.noMetricsRuns).toEqual([]);
    expect(seed.runs.every((r) => 'systemMetricsPattern' in r)).toBe(true);
    const event = JSON.parse(result.stderr.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(event).toMatchObject({ event: 'fleet.generated', profile: 'healthy', inline_metrics: false });
  });

  it.each([
    { flags: ['--size', 'small', '--profile', 'sick', '--out', 'x.json'] },
    { flags: ['--size', 'huge', '--out', 'x.json'] },
    { flags: ['--size', 'small', '--days', '0', '--out', 'x.json'] },
    { flags: ['--size', 'small', '--end-date', '2025-02-30', '--out', 'x.json'] },
    { flags: ['--size', 'small'] }, // no --out
  ])('exits 2 on bad usage: $flags', async ({ flags }) => {
    const result = await runCliCaptured(['generate-fleet', '--config', repoConfigPath, ...flags], {
      cwd: dir,
    });
    expect(result.code).toBe(2);
  });
});
