import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { applyContextOverrides, parseSettings, parseTimeOfDay, SettingsError } from '../lib/settings.js';
import { readSettingsJson } from './builders.js';

function issuesOf(raw: unknown): readonly string[] {
  try {
    parseSettings(raw);
  } catch (e) {
    if (e instanceof SettingsError) return e.issues;
    throw e;
  }
  return [];
}

describe('parseSettings', () => {
  it('accepts the committed settings.json with the documented defaults', () => {
    const s = parseSettings(readSettingsJson());
    expect(s.timeZone).toBe('Asia/Tokyo');
    expect(s.schedules).toEqual({ job: { hour: 0, minute: 15 }, check: { hour: 9, minute: 0 } });
    expect(s.logGroups.job).toBe('/ecs/gpu-dashboard');
    expect(s.logRetention).toBe(RetentionDays.THREE_MONTHS);
    expect(s.account).toBeNull();
  });

  it('reports every problem at once, each with its path', () => {
    const raw = {
      ...readSettingsJson(),
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
    };
    const issues = issuesOf(raw);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^timeZone: /),
        expect.stringMatching(/^schedules\.job: expected HH:MM/),
        expect.stringMatching(/^schedules\.check: expected HH:MM/),
        expect.stringMatching(/^logRetentionDays: /),
        expect.stringMatching(/^account: /),
        expect.stringMatching(/^network\.availabilityZones: /),
        expect.stringMatching(/^network\.vpcId: /),
      ]),
    );
    expect(issues).toHaveLength(7);
  });

  it('rejects the checker logging into the job group (it could then read its own logs only)', () => {
    const raw = { ...readSettingsJson(), logGroups: { job: '/ecs/x', check: '/ecs/x' } };
    expect(issuesOf(raw)).toEqual([expect.stringMatching(/^logGroups\.check: must differ/)]);
  });

  it('treats a null Slack secret name as "no Slack"', () => {
    const raw = readSettingsJson();
    const s = parseSettings({ ...raw, secretNames: { wandbApiKey: 'k', slackWebhookUrl: null } });
    expect(s.secretNames.slackWebhookUrl).toBeNull();
  });
});

describe('applyContextOverrides', () => {
  it('overrides single fields from -c key=value and leaves the rest', () => {
    const s = parseSettings(
      applyContextOverrides(readSettingsJson(), {
        account: '123456789012',
        jobTime: '01:30',
        timeZone: 'Europe/Berlin',
        imageTag: 'sha-abc123',
      }),
    );
    expect(s.account).toBe('123456789012');
    expect(s.schedules.job).toEqual({ hour: 1, minute: 30 });
    expect(s.schedules.check).toEqual({ hour: 9, minute: 0 });
    expect(s.timeZone).toBe('Europe/Berlin');
    expect(s.imageTags).toEqual({ main: 'sha-abc123', check: 'sha-abc123' });
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
