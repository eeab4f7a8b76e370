import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** Wall-clock time of day, 'HH:MM' (24 h), in `DeploymentSettings.timeZone`. */
export type TimeOfDay = { readonly hour: number; readonly minute: number };

export type NetworkSettings =
  /** A new VPC with public subnets only (no NAT gateway) in the region's first two zones; tasks get a public IP. */
  | { readonly kind: 'new-vpc'; readonly cidr: string }
  /** An existing VPC given by attributes (no lookup at synth time); its subnets must route to an internet gateway. */
  | {
      readonly kind: 'existing-vpc';
      readonly vpcId: string;
      readonly availabilityZones: readonly string[];
      readonly publicSubnetIds: readonly string[];
    };

export type DeploymentSettings = {
  readonly stackName: string;
  /** null: an environment-agnostic stack (the account comes from the deploy credentials). */
  readonly account: string | null;
  readonly region: string;
  /** IANA zone for both schedules. */
  readonly timeZone: string;
  readonly schedules: { readonly job: TimeOfDay; readonly check: TimeOfDay };
  readonly imageTags: { readonly main: string; readonly check: string };
  readonly repositoryNames: { readonly main: string; readonly check: string };
  readonly network: NetworkSettings;
  readonly logGroups: { readonly job: string; readonly check: string };
  readonly logRetention: RetentionDays;
  readonly secretNames: { readonly wandbApiKey: string; readonly slackWebhookUrl: string | null };
  readonly wandbBaseUrl: string | null;
};

/** Context keys (`cdk synth -c key=value`) that override single settings. */
export const CONTEXT_OVERRIDES = [
  'account',
  'region',
  'timeZone',
  'jobTime',
  'checkTime',
  'imageTag',
] as const;
export type ContextOverrides = Partial<Record<(typeof CONTEXT_OVERRIDES)[number], string>>;

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  constructor(readonly issues: readonly string[]) {
    super(`invalid infra settings:\n  ${issues.join('\n  ')}`);
  }
}

const RETENTION_VALUES = new Set<number>(
  Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'),
);

type Issues = string[];
type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Obj, key: string, path: string, issues: Issues, pattern?: RegExp): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0) {
    issues.push(`${path}${key}: expected a non-empty string`);
    return '';
  }
  if (pattern && !pattern.test(v)) issues.push(`${path}${key}: "${v}" does not match ${pattern}`);
  return v;
}

function nullableStr(o: Obj, key: string, path: string, issues: Issues, pattern?: RegExp): string | null {
  return o[key] === null || o[key] === undefined ? null : str(o, key, path, issues, pattern);
}

function obj(o: Obj, key: string, path: string, issues: Issues): Obj {
  const v = o[key];
  if (isObj(v)) return v;
  issues.push(`${path}${key}: expected an object`);
  return {};
}

function strList(o: Obj, key: string, path: string, issues: Issues, pattern = /^\S+$/): string[] {
  const v = o[key];
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && pattern.test(x))) return v;
  issues.push(`${path}${key}: expected a non-empty list of strings matching ${pattern}`);
  return [];
}

export function parseTimeOfDay(text: string): TimeOfDay | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : undefined;
}

function time(o: Obj, key: string, path: string, issues: Issues): TimeOfDay {
  const t = parseTimeOfDay(str(o, key, path, issues));
  if (t) return t;
  issues.push(`${path}${key}: expected HH:MM (24 h)`);
  return { hour: 0, minute: 0 };
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name.includes('/') || name === 'UTC';
  } catch {
    return false;
  }
}

function parseNetwork(raw: Obj, issues: Issues): NetworkSettings {
  const p = 'network.';
  const kind = raw.kind;
  if (kind === 'new-vpc') {
    return {
      kind,
      cidr: str(raw, 'cidr', p, issues, /^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-5])$/),
    };
  }
  if (kind === 'existing-vpc') {
    const availabilityZones = strList(raw, 'availabilityZones', p, issues, /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/);
    const publicSubnetIds = strList(raw, 'publicSubnetIds', p, issues, /^subnet-[0-9a-f]{8,17}$/);
    if (availabilityZones.length > 0 && publicSubnetIds.length % availabilityZones.length !== 0) {
      issues.push(
        `${p}publicSubnetIds: expected the same number of subnets in each of the availabilityZones`,
      );
    }
    return {
      kind,
      vpcId: str(raw, 'vpcId', p, issues, /^vpc-[0-9a-f]{8,17}$/),
      availabilityZones,
      publicSubnetIds,
    };
  }
  issues.push(`network.kind: expected "new-vpc" or "existing-vpc"`);
  return { kind: 'new-vpc', cidr: '' };
}

/** Applies `-c key=value` overrides on top of the settings file's JSON, before validation. */
export function applyContextOverrides(raw: unknown, overrides: ContextOverrides): unknown {
  if (!isObj(raw)) return raw;
  const out: Obj = { ...raw };
  if (overrides.account !== undefined) out.account = overrides.account;
  if (overrides.region !== undefined) out.region = overrides.region;
  if (overrides.timeZone !== undefined) out.timeZone = overrides.timeZone;
  const schedules = isObj(raw.schedules) ? { ...raw.schedules } : {};
  if (overrides.jobTime !== undefined) schedules.job = overrides.jobTime;
  if (overrides.checkTime !== undefined) schedules.check = overrides.checkTime;
  out.schedules = schedules;
  if (overrides.imageTag !== undefined)
    out.imageTags = { main: overrides.imageTag, check: overrides.imageTag };
  return out;
}

/** Validates the settings file's JSON; every problem is reported at once, each with its path. */
export function parseSettings(raw: unknown): DeploymentSettings {
  const issues: Issues = [];
  if (!isObj(raw)) throw new SettingsError(['(root): expected an object']);
  const schedules = obj(raw, 'schedules', '', issues);
  const imageTags = obj(raw, 'imageTags', '', issues);
  const repos = obj(raw, 'repositoryNames', '', issues);
  const logGroups = obj(raw, 'logGroups', '', issues);
  const secrets = obj(raw, 'secretNames', '', issues);
  const tag = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
  const repoName = /^[a-z0-9]+([._/-][a-z0-9]+)*$/;
  const timeZone = str(raw, 'timeZone', '', issues);
  if (timeZone && !isTimeZone(timeZone)) issues.push(`timeZone: "${timeZone}" is not an IANA time zone`);
  const retention = raw.logRetentionDays;
  if (
    typeof retention !== 'number' ||
    !RETENTION_VALUES.has(retention) ||
    retention === RetentionDays.INFINITE
  ) {
    issues.push(
      `logRetentionDays: expected one of CloudWatch's retention values (1, 3, 5, 7, 14, 30, 60, 90, ...)`,
    );
  }
  const settings: DeploymentSettings = {
    stackName: str(raw, 'stackName', '', issues, /^[A-Za-z][A-Za-z0-9-]{0,127}$/),
    account: nullableStr(raw, 'account', '', issues, /^\d{12}$/),
    region: str(raw, 'region', '', issues, /^[a-z]{2}(-[a-z]+)+-\d$/),
    timeZone,
    schedules: {
      job: time(schedules, 'job', 'schedules.', issues),
      check: time(schedules, 'check', 'schedules.', issues),
    },
    imageTags: {
      main: str(imageTags, 'main', 'imageTags.', issues, tag),
      check: str(imageTags, 'check', 'imageTags.', issues, tag),
    },
    repositoryNames: {
      main: str(repos, 'main', 'repositoryNames.', issues, repoName),
      check: str(repos, 'check', 'repositoryNames.', issues, repoName),
    },
    network: parseNetwork(obj(raw, 'network', '', issues), issues),
    logGroups: {
      job: str(logGroups, 'job', 'logGroups.', issues),
      check: str(logGroups, 'check', 'logGroups.', issues),
    },
    logRetention: retention as RetentionDays,
    secretNames: {
      wandbApiKey: str(secrets, 'wandbApiKey', 'secretNames.', issues),
      slackWebhookUrl: nullableStr(secrets, 'slackWebhookUrl', 'secretNames.', issues),
    },
    wandbBaseUrl: nullableStr(raw, 'wandbBaseUrl', '', issues, /^https?:\/\/\S+$/),
  };
  if (settings.logGroups.job && settings.logGroups.job === settings.logGroups.check) {
    issues.push('logGroups.check: must differ from logGroups.job (the checker may read only the job group)');
  }
  if (issues.length > 0) throw new SettingsError(issues);
  return settings;
}
