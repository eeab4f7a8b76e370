import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { parseSettings, validateSettings } from '../lib/settings.js';
import { IMAGE_TAG_REQUIRED, isTimeZone, parseTimeOfDay } from '../lib/settings-schema.js';
import { readSettingsJson, settingsJsonWith } from './builders.js';

/** Each issue as the error prints it: `dot.path: message`. */
function issuesOf(raw: unknown): string[] {
  const result = validateSettings(raw);
  return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
}

const existingVpc = (overrides: Record<string, unknown>) => ({
  network: {
    kind: 'existing-vpc',
    vpcId: 'vpc-0123abcd4567',
    availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'],
    publicSubnetIds: ['subnet-0aaa1111', 'subnet-0ccc3333'],
    ...overrides,
  },
});

describe('settingsSchema: valid settings', () => {
  it('accepts the committed settings.json and types every value', () => {
    const result = validateSettings(readSettingsJson());
    expect(result).toEqual({
      ok: true,
      value: {
        stackName: 'GpuDashboard',
        account: null,
        region: 'ap-northeast-1',
        timeZone: 'Asia/Tokyo',
        schedules: { job: { hour: 0, minute: 15 }, check: { hour: 9, minute: 0 } },
        imageTags: { main: null, check: null },
        repositoryNames: { main: 'gpu-dashboard/main', check: 'gpu-dashboard/check' },
        network: { kind: 'new-vpc', cidr: '10.42.0.0/24' },
        logGroups: { job: '/ecs/gpu-dashboard', check: '/ecs/gpu-dashboard-check' },
        logRetentionDays: RetentionDays.THREE_MONTHS,
        secretNames: {
          wandbApiKey: 'gpu-dashboard/wandb-api-key',
          slackWebhookUrl: 'gpu-dashboard/slack-webhook-url',
        },
        wandbBaseUrl: null,
        notifications: { email: null, slackWebhookSecretName: 'gpu-dashboard/slack-webhook-url' },
        config: { key: 'config.yaml' },
        configFile: '../config.yaml',
      },
    });
  });

  it('defaults config.key, configFile and the image tags (to unset) when the file lacks them', () => {
    const settings = parseSettings(
      settingsJsonWith({ config: undefined, configFile: undefined, imageTags: undefined }),
    );
    expect([settings.config, settings.configFile, settings.imageTags]).toEqual([
      { key: 'config.yaml' },
      '../config.yaml',
      { main: null, check: null },
    ]);
  });

  it('returns frozen settings, so no construct can change what another one reads', () => {
    const settings = parseSettings(readSettingsJson());
    expect(Object.isFrozen(settings)).toBe(true);
    expect(Object.isFrozen(settings.schedules.job)).toBe(true);
  });

  it('accepts an existing VPC with a concrete account and a W&B server', () => {
    const raw = settingsJsonWith({
      account: '123456789012',
      wandbBaseUrl: 'https://wandb.example.com',
      logRetentionDays: 30,
      ...existingVpc({}),
    });
    expect(issuesOf(raw)).toEqual([]);
  });

  it('reads a missing or null account, Slack secret or W&B URL as null (not set)', () => {
    for (const value of [undefined, null]) {
      const settings = parseSettings(
        settingsJsonWith({
          account: value,
          wandbBaseUrl: value,
          secretNames: { wandbApiKey: 'k', ...(value === null ? { slackWebhookUrl: null } : {}) },
        }),
      );
      expect([settings.account, settings.wandbBaseUrl, settings.secretNames.slackWebhookUrl]).toEqual([
        null,
        null,
        null,
      ]);
    }
  });
});

describe('settingsSchema: every problem is reported with its dot path', () => {
  it('reports all problems at once', () => {
    const raw = settingsJsonWith({
      timeZone: 'Mars/Olympus',
      schedules: { job: '24:15', check: '9:00' },
      logRetentionDays: 42,
      account: '12345',
      network: {
        kind: 'existing-vpc',
        vpcId: 'vpc-0abc',
        availabilityZones: [],
        publicSubnetIds: ['subnet-0aaa1111'],
      },
    });
    expect(issuesOf(raw).sort()).toEqual(
      [
        'timeZone: "Mars/Olympus" is not an IANA time zone',
        'schedules.job: expected HH:MM (24 h)',
        'schedules.check: expected HH:MM (24 h)',
        "logRetentionDays: expected one of CloudWatch's retention values (1, 3, 5, 7, 14, 30, 60, 90, ...)",
        'account: "12345" does not match /^\\d{12}$/',
        'network.availabilityZones: expected a non-empty list of strings matching /^[a-z]{2}(-[a-z]+)+-\\d[a-z]$/',
        'network.vpcId: "vpc-0abc" does not match /^vpc-[0-9a-f]{8,17}$/',
      ].sort(),
    );
  });

  const RETENTION = "expected one of CloudWatch's retention values (1, 3, 5, 7, 14, 30, 60, 90, ...)";
  it.each<[string, Record<string, unknown>, string]>([
    // wrong type
    ['a number for a string', { stackName: 5 }, 'stackName: expected a non-empty string'],
    ['a string for a number', { logRetentionDays: '90' }, `logRetentionDays: ${RETENTION}`],
    ['a string for an object', { schedules: '00:15' }, 'schedules: expected an object'],
    ['a list for an object', { imageTags: ['latest'] }, 'imageTags: expected an object'],
    [
      'a string for a list',
      existingVpc({ publicSubnetIds: 'subnet-0aaa1111' }),
      'network.publicSubnetIds: expected a non-empty list of strings matching /^subnet-[0-9a-f]{8,17}$/',
    ],
    [
      'a number for a time',
      { schedules: { job: 15, check: '09:00' } },
      'schedules.job: expected HH:MM (24 h)',
    ],
    // missing required keys
    ['a missing top-level key', { region: undefined }, 'region: is required'],
    [
      'a missing nested key',
      { secretNames: { slackWebhookUrl: null } },
      'secretNames.wandbApiKey: is required',
    ],
    ['a missing object', { logGroups: undefined }, 'logGroups: is required'],
    [
      'a missing network kind',
      { network: { cidr: '10.42.0.0/24' } },
      'network.kind: expected "new-vpc" or "existing-vpc"',
    ],
    ['a missing existing-VPC key', existingVpc({ vpcId: undefined }), 'network.vpcId: is required'],
    // unknown keys
    ['an unknown top-level key', { logRetention: 90 }, 'logRetention: unknown key'],
    [
      'an unknown nested key',
      { schedules: { job: '00:15', check: '09:00', run: '01:00' } },
      'schedules.run: unknown key',
    ],
    [
      'a key of the other network kind',
      { network: { kind: 'new-vpc', cidr: '10.42.0.0/24', vpcId: 'vpc-0123abcd4567' } },
      'network.vpcId: unknown key',
    ],
    // values the code checks
    [
      'an empty string',
      { secretNames: { wandbApiKey: '', slackWebhookUrl: null } },
      'secretNames.wandbApiKey: expected a non-empty string',
    ],
    ['a missing notifications object', { notifications: undefined }, 'notifications: is required'],
    [
      'an email that is not an address',
      { notifications: { email: 'ops', slackWebhookSecretName: null } },
      'notifications.email: "ops" does not match /^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$/',
    ],
    [
      'an S3 key with a leading slash',
      { config: { key: '/config.yaml' } },
      'config.key: "/config.yaml" does not match /^[A-Za-z0-9!_.*\'()-][A-Za-z0-9!_.*\'()/-]{0,1023}$/',
    ],
    ['an empty configFile', { configFile: '' }, 'configFile: expected a non-empty string'],
    [
      'a stack name too long for the "-Repositories" suffix',
      { stackName: `G${'x'.repeat(115)}` },
      `stackName: "G${'x'.repeat(115)}" does not match /^[A-Za-z][A-Za-z0-9-]{0,114}$/`,
    ],
    [
      'an hour past 23',
      { schedules: { job: '24:00', check: '09:00' } },
      'schedules.job: expected HH:MM (24 h)',
    ],
    [
      'a one-digit hour',
      { schedules: { job: '00:15', check: '9:00' } },
      'schedules.check: expected HH:MM (24 h)',
    ],
    [
      'an unknown time zone',
      { timeZone: 'Mars/Olympus' },
      'timeZone: "Mars/Olympus" is not an IANA time zone',
    ],
    ['a zone abbreviation', { timeZone: 'EST' }, 'timeZone: "EST" is not an IANA time zone'],
    ['a retention CloudWatch lacks', { logRetentionDays: 42 }, `logRetentionDays: ${RETENTION}`],
    ['infinite retention', { logRetentionDays: RetentionDays.INFINITE }, `logRetentionDays: ${RETENTION}`],
    ['a short account ID', { account: '12345' }, 'account: "12345" does not match /^\\d{12}$/'],
    [
      'a region with a zone letter',
      { region: 'ap-northeast-1a' },
      'region: "ap-northeast-1a" does not match /^[a-z]{2}(-[a-z]+)+-\\d$/',
    ],
    [
      'an upper-case repository name',
      { repositoryNames: { main: 'GPU/main', check: 'gpu-dashboard/check' } },
      'repositoryNames.main: "GPU/main" does not match /^[a-z0-9]+([._/-][a-z0-9]+)*$/',
    ],
    [
      'a non-HTTP W&B URL',
      { wandbBaseUrl: 'ftp://wandb' },
      'wandbBaseUrl: "ftp://wandb" does not match /^https?:\\/\\/\\S+$/',
    ],
    [
      'an unknown network kind',
      { network: { kind: 'default-vpc' } },
      'network.kind: expected "new-vpc" or "existing-vpc"',
    ],
    [
      'a CIDR block too large',
      { network: { kind: 'new-vpc', cidr: '10.0.0.0/8' } },
      'network.cidr: "10.0.0.0/8" does not match /^\\d{1,3}(\\.\\d{1,3}){3}\\/(1[6-9]|2[0-5])$/',
    ],
    [
      'a bad list element',
      existingVpc({ publicSubnetIds: ['subnet-0aaa1111', 'subnet-x'] }),
      'network.publicSubnetIds.1: "subnet-x" does not match /^subnet-[0-9a-f]{8,17}$/',
    ],
    [
      'subnets not spread evenly over the zones',
      existingVpc({ publicSubnetIds: ['subnet-0aaa1111', 'subnet-0bbb2222', 'subnet-0ccc3333'] }),
      'network.publicSubnetIds: expected the same number of subnets in each of the availabilityZones',
    ],
    [
      'the checker logging into the job group',
      { logGroups: { job: '/ecs/x', check: '/ecs/x' } },
      'logGroups.check: must differ from logGroups.job (the checker may read only the job group)',
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(issuesOf(settingsJsonWith(overrides))).toEqual([expected]);
  });

  it('judges cross-field rules only on values that passed their own checks', () => {
    expect(issuesOf(settingsJsonWith({ logGroups: { job: '', check: '' } }))).toEqual([
      'logGroups.job: expected a non-empty string',
      'logGroups.check: expected a non-empty string',
    ]);
    expect(issuesOf(settingsJsonWith(existingVpc({ availabilityZones: [] })))).toEqual([
      'network.availabilityZones: expected a non-empty list of strings matching /^[a-z]{2}(-[a-z]+)+-\\d[a-z]$/',
    ]);
  });

  it.each([[[]], ['settings'], [null]])('rejects a file whose JSON is not an object: %j', (raw) => {
    expect(issuesOf(raw)).toEqual(['(root): expected an object']);
  });
});

describe('imageTags', () => {
  const DIGEST = `sha256:${'a1'.repeat(32)}`;
  const tagsOf = (main: unknown) => {
    const result = validateSettings(settingsJsonWith({ imageTags: { main, check: 'v1' } }));
    return result.ok ? result.value.imageTags.main : result.issues.map((i) => `${i.path}: ${i.message}`);
  };

  it.each([
    ['a tag', 'v1.2.3', 'v1.2.3'],
    ['a short commit', '0123abc', '0123abc'],
    ['a digest', DIGEST, DIGEST],
    ['null (unset: the tasks stack reports it)', null, null],
    ['a missing key (unset)', undefined, null],
  ])('accepts %s', (_name, value, expected) => {
    expect(tagsOf(value)).toEqual(expected);
  });

  it.each([
    ['latest', 'latest'],
    ['LATEST', 'LATEST'],
    ['an empty string', ''],
    ['a number', 7],
  ])('refuses %s, naming the setting and the way out', (_name, value) => {
    expect(tagsOf(value)).toEqual([`imageTags.main: ${IMAGE_TAG_REQUIRED}`]);
    expect(IMAGE_TAG_REQUIRED).toBe(
      'set an explicit image tag or digest (sha256:…); "latest" is not deployable — pass -c imageTag=<tag>',
    );
  });

  it.each([
    ['a tag with a space', 'bad tag'],
    ['a short digest', 'sha256:abc'],
    ['an upper-case digest', `sha256:${'A1'.repeat(32)}`],
  ])('refuses %s as neither tag nor digest', (_name, value) => {
    expect(tagsOf(value)).toEqual([
      `imageTags.main: "${value}" is neither an image tag (/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/) nor a digest (sha256:<64 hex>)`,
    ]);
  });
});

describe('parseTimeOfDay', () => {
  it.each([
    ['00:15', { hour: 0, minute: 15 }],
    ['23:59', { hour: 23, minute: 59 }],
    ['24:00', undefined],
    ['9:00', undefined],
    ['09:60', undefined],
  ])('%s', (text, expected) => {
    expect(parseTimeOfDay(text)).toEqual(expected);
  });
});

describe('isTimeZone', () => {
  it.each([
    ['Asia/Tokyo', true],
    ['America/Argentina/Buenos_Aires', true],
    ['UTC', true],
    ['EST', false],
    ['Mars/Olympus', false],
    ['', false],
  ])('%s', (name, expected) => {
    expect(isTimeZone(name)).toBe(expected);
  });
});
