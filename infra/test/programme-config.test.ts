import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkProgrammeConfig,
  configDisagreements,
  INFRA_DIR,
  readConfigKeys,
} from '../lib/programme-config.js';
import { makeSettings } from './builders.js';

const dir = mkdtempSync(join(tmpdir(), 'infra-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const settings = makeSettings();
const messages = (issues: readonly { path: string; message: string }[]) =>
  issues.map((i) => `${i.path}: ${i.message}`);

describe('readConfigKeys', () => {
  it("applies the product's defaults to missing keys; a missing region stays unset (the task's region)", () => {
    expect(readConfigKeys({ companies: [] }, 'c.yaml')).toEqual({
      ok: true,
      value: {
        timezone: { value: 'Asia/Tokyo', isDefault: true },
        logGroup: { value: '/ecs/gpu-dashboard', isDefault: true },
        region: null,
      },
    });
  });

  it('reads the keys that are set', () => {
    const raw = { timezone: 'Europe/Berlin', cloudwatch: { log_group: '/ecs/x', region: 'eu-central-1' } };
    expect(readConfigKeys(raw, 'c.yaml')).toEqual({
      ok: true,
      value: {
        timezone: { value: 'Europe/Berlin', isDefault: false },
        logGroup: { value: '/ecs/x', isDefault: false },
        region: { value: 'eu-central-1', isDefault: false },
      },
    });
  });

  it('reports a wrong type, naming the config key', () => {
    const result = readConfigKeys({ timezone: 9, cloudwatch: { region: '' } }, 'c.yaml');
    expect(result.ok ? [] : messages(result.issues)).toEqual([
      'configFile: timezone in c.yaml: expected a non-empty string',
      'configFile: cloudwatch.region in c.yaml: expected a non-empty string',
    ]);
    const notMapping = readConfigKeys(['x'], 'c.yaml');
    expect(notMapping.ok ? [] : messages(notMapping.issues)).toEqual([
      'configFile: c.yaml: expected a YAML mapping',
    ]);
  });
});

describe('configDisagreements', () => {
  const keys = (timezone: string, logGroup: string, region: string | null) => ({
    timezone: { value: timezone, isDefault: false },
    logGroup: { value: logGroup, isDefault: false },
    region: region === null ? null : { value: region, isDefault: false },
  });

  it('is empty when the three pairs agree, or the config leaves the region to the task', () => {
    expect(
      configDisagreements(settings, keys('Asia/Tokyo', '/ecs/gpu-dashboard', 'ap-northeast-1'), 'c'),
    ).toEqual([]);
    expect(configDisagreements(settings, keys('Asia/Tokyo', '/ecs/gpu-dashboard', null), 'c')).toEqual([]);
  });

  it('names both keys of every pair that differs', () => {
    expect(
      messages(configDisagreements(settings, keys('Europe/Berlin', '/ecs/other', 'us-east-1'), 'c.yaml')),
    ).toEqual([
      'timeZone: "Asia/Tokyo" but timezone in c.yaml is "Europe/Berlin": settings timeZone and config timezone must agree',
      'logGroups.job: "/ecs/gpu-dashboard" but cloudwatch.log_group in c.yaml is "/ecs/other": settings logGroups.job and config cloudwatch.log_group must agree',
      'region: "ap-northeast-1" but cloudwatch.region in c.yaml is "us-east-1": settings region and config cloudwatch.region must agree',
    ]);
  });

  it("says when the config's value is the product default", () => {
    const other = makeSettings({ timeZone: 'UTC' });
    const [issue] = configDisagreements(
      other,
      { ...keys('x', '/ecs/gpu-dashboard', null), timezone: { value: 'Asia/Tokyo', isDefault: true } },
      'c.yaml',
    );
    expect(issue?.message).toBe(
      '"UTC" but timezone in c.yaml is "Asia/Tokyo" (its default): settings timeZone and config timezone must agree',
    );
  });
});

describe('checkProgrammeConfig', () => {
  it('accepts the repository config.yaml with the committed settings', () => {
    expect(checkProgrammeConfig(settings)).toEqual([]);
    expect(settings.configFile).toBe('../config.yaml');
  });

  it('resolves a relative configFile against infra/, not the working directory', () => {
    const issues = checkProgrammeConfig({ ...settings, configFile: 'no-such-config.yaml' });
    expect(messages(issues)).toEqual([
      `configFile: ${join(INFRA_DIR, 'no-such-config.yaml')}: cannot read it (ENOENT)`,
    ]);
  });

  it('reads a YAML file and reports what disagrees', () => {
    const file = writeConfig(
      'berlin.yaml',
      'timezone: Europe/Berlin\ncloudwatch:\n  region: ap-northeast-1\n',
    );
    expect(messages(checkProgrammeConfig({ ...settings, configFile: file }))).toEqual([
      `timeZone: "Asia/Tokyo" but timezone in ${file} is "Europe/Berlin": settings timeZone and config timezone must agree`,
    ]);
  });

  it('reports a file that is not YAML', () => {
    const file = writeConfig('broken.yaml', 'timezone: [unclosed\n');
    expect(messages(checkProgrammeConfig({ ...settings, configFile: file }))).toEqual([
      expect.stringMatching(new RegExp(`^configFile: ${file}: not YAML: `)),
    ]);
  });
});
