import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  applyContextOverrides,
  type ContextReader,
  loadSettings,
  parseSettings,
  readContextOverrides,
  SettingsError,
  validateSettings,
} from '../lib/settings.js';
import { readSettingsJson, settingsJsonWith } from './builders.js';

const FIXTURE = new URL('./fixtures/settings-existing-vpc.json', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'infra-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeSettings(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const contextOf =
  (values: Record<string, unknown>): ContextReader =>
  (key) =>
    values[key];

/** What the thrown SettingsError lists, as `dot.path: message`. */
function thrownIssues(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof SettingsError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error('expected a SettingsError');
}

describe('parseSettings', () => {
  it('throws one SettingsError whose message names the source and lists every issue', () => {
    const raw = settingsJsonWith({ region: undefined, schedules: { job: '25:00', check: '09:00' } });
    expect(() => parseSettings(raw, {}, 'my-settings.json')).toThrow(
      new SettingsError('my-settings.json', [
        { path: 'region', message: 'is required' },
        { path: 'schedules.job', message: 'expected HH:MM (24 h)' },
      ]),
    );
    expect(() => parseSettings(raw)).toThrow(
      'settings.json: invalid infra settings\n  region: is required\n  schedules.job: expected HH:MM (24 h)',
    );
  });
});

describe('context overrides', () => {
  it('override single fields from -c key=value and leave the rest', () => {
    const s = parseSettings(readSettingsJson(), {
      account: '123456789012',
      jobTime: '01:30',
      timeZone: 'Europe/Berlin',
      imageTag: 'sha-abc123',
    });
    expect(s.account).toBe('123456789012');
    expect(s.schedules).toEqual({ job: { hour: 1, minute: 30 }, check: { hour: 9, minute: 0 } });
    expect(s.timeZone).toBe('Europe/Berlin');
    expect(s.imageTags).toEqual({ main: 'sha-abc123', check: 'sha-abc123' });
    expect(s.region).toBe('ap-northeast-1');
  });

  it('are validated like the file, and an issue names the context key it came from', () => {
    const result = validateSettings(settingsJsonWith({ stackName: '9lives' }), {
      checkTime: '9:00',
      imageTag: 'bad tag',
      region: 'Tokyo',
    });
    expect(result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'stackName: "9lives" does not match /^[A-Za-z][A-Za-z0-9-]{0,114}$/',
      'region: "Tokyo" does not match /^[a-z]{2}(-[a-z]+)+-\\d$/ (from context "region")',
      'schedules.check: expected HH:MM (24 h) (from context "checkTime")',
      'imageTags.main: "bad tag" is neither an image tag (/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/) nor a digest (sha256:<64 hex>) (from context "imageTag")',
      'imageTags.check: "bad tag" is neither an image tag (/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/) nor a digest (sha256:<64 hex>) (from context "imageTag")',
    ]);
  });

  it('set one image each with mainImageTag / checkImageTag, over imageTag', () => {
    const digest = `sha256:${'0f'.repeat(32)}`;
    const s = parseSettings(readSettingsJson(), { imageTag: 'v1', mainImageTag: digest });
    expect(s.imageTags).toEqual({ main: digest, check: 'v1' });
    const result = validateSettings(readSettingsJson(), { imageTag: 'v1', checkImageTag: 'latest' });
    expect(result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'imageTags.check: set an explicit image tag or digest (sha256:…); "latest" is not deployable — pass -c imageTag=<tag> (from context "checkImageTag")',
    ]);
  });

  it('fill in a time the file lacks without touching the file JSON', () => {
    const raw = settingsJsonWith({ schedules: { check: '09:00' } });
    const applied = applyContextOverrides(raw, { jobTime: '02:00' });
    expect(applied).toMatchObject({ schedules: { job: '02:00', check: '09:00' } });
    expect(raw.schedules).toEqual({ check: '09:00' });
  });

  it('read only the override keys that are set, as text', () => {
    const context = contextOf({ account: 123456789012, region: null, jobTime: '01:30', other: 'x' });
    expect(readContextOverrides(context)).toEqual({ account: '123456789012', jobTime: '01:30' });
  });
});

describe('loadSettings', () => {
  it('reads the file named by -c settingsFile and applies the overrides', () => {
    const s = loadSettings(contextOf({ settingsFile: FIXTURE, jobTime: '03:45' }));
    expect(s.stackName).toBe('GpuDashboardExistingVpc');
    expect(s.network.kind).toBe('existing-vpc');
    expect(s.schedules.job).toEqual({ hour: 3, minute: 45 });
  });

  it('names the file in the error and lists its problems by dot path', () => {
    const file = writeSettings('bad.json', JSON.stringify(settingsJsonWith({ logRetentionDays: 'forever' })));
    expect(() => loadSettings(contextOf({ settingsFile: file }))).toThrow(
      `${file}: invalid infra settings\n  logRetentionDays: expected one of`,
    );
  });

  it('stops when the config.yaml to deploy disagrees with the settings, naming both keys', () => {
    const config = writeSettings(
      'config.yaml',
      'timezone: Europe/Berlin\ncloudwatch:\n  log_group: /ecs/other\n',
    );
    const file = writeSettings('with-config.json', JSON.stringify(settingsJsonWith({ configFile: config })));
    expect(thrownIssues(() => loadSettings(contextOf({ settingsFile: file })))).toEqual([
      `timeZone: "Asia/Tokyo" but timezone in ${config} is "Europe/Berlin": settings timeZone and config timezone must agree`,
      `logGroups.job: "/ecs/gpu-dashboard" but cloudwatch.log_group in ${config} is "/ecs/other": settings logGroups.job and config cloudwatch.log_group must agree`,
    ]);
    // The same file passes once the settings follow it, here through context.
    const agreeing = writeSettings(
      'agreeing.json',
      JSON.stringify(
        settingsJsonWith({
          configFile: config,
          logGroups: { job: '/ecs/other', check: '/ecs/gpu-dashboard-check' },
        }),
      ),
    );
    expect(loadSettings(contextOf({ settingsFile: agreeing, timeZone: 'Europe/Berlin' })).timeZone).toBe(
      'Europe/Berlin',
    );
  });

  it('reads configFile from context too', () => {
    expect(
      thrownIssues(() =>
        loadSettings(contextOf({ settingsFile: FIXTURE, configFile: join(dir, 'nowhere.yaml') })),
      ),
    ).toEqual([`configFile: ${join(dir, 'nowhere.yaml')}: cannot read it (ENOENT)`]);
  });

  it('reports a missing file and a file that is not JSON as settings errors', () => {
    const missing = join(dir, 'missing.json');
    expect(thrownIssues(() => loadSettings(contextOf({ settingsFile: missing })))).toEqual([
      '(file): cannot read the file (ENOENT)',
    ]);
    const broken = writeSettings('broken.json', '{ "stackName": ');
    expect(thrownIssues(() => loadSettings(contextOf({ settingsFile: broken })))).toEqual([
      expect.stringMatching(/^\(file\): not JSON: /),
    ]);
  });
});
