import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';

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

/**
 * An image tag, or a digest `sha256:<64 hex>` (the task then runs `repo@sha256:…`); null: not set, and the tasks
 * stack refuses to synthesize (docs/deployment.md, "Images").
 */
export type ImageRef = string | null;

/** settings.json after validation (docs/deployment.md, "Settings"). */
export type DeploymentSettings = {
  /** The tasks stack; the repositories stack is `<stackName>-Repositories`. */
  readonly stackName: string;
  /** null: an environment-agnostic stack (the account comes from the deploy credentials). */
  readonly account: string | null;
  readonly region: string;
  /** IANA zone for both schedules. */
  readonly timeZone: string;
  readonly schedules: { readonly job: TimeOfDay; readonly check: TimeOfDay };
  readonly imageTags: { readonly main: ImageRef; readonly check: ImageRef };
  readonly repositoryNames: { readonly main: string; readonly check: string };
  readonly network: NetworkSettings;
  readonly logGroups: { readonly job: string; readonly check: string };
  readonly logRetentionDays: RetentionDays;
  readonly secretNames: { readonly wandbApiKey: string; readonly slackWebhookUrl: string | null };
  readonly wandbBaseUrl: string | null;
  /** Where a failed task or a night without `pipeline.completed` is reported (besides the SNS topic itself). */
  readonly notifications: {
    readonly email: string | null;
    /** Secret holding a Slack incoming-webhook URL, posted to by an EventBridge API destination; null: no Slack. */
    readonly slackWebhookSecretName: string | null;
  };
  /** The object in the config bucket that both tasks read (GPU_DASHBOARD_CONFIG=s3://bucket/key). */
  readonly config: { readonly key: string };
  /** The config.yaml to deploy, relative to infra/; synth checks that it agrees with these settings. */
  readonly configFile: string;
};

// 128 characters, less the "-Repositories" suffix of the second stack.
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,114}$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const REPOSITORY_NAME = /^[a-z0-9]+([._/-][a-z0-9]+)*$/;
const CIDR = /^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-5])$/;
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const AVAILABILITY_ZONE = /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const HTTP_URL = /^https?:\/\/\S+$/;
const IMAGE_DIGEST = /^sha256:[0-9a-f]{64}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
// S3's "safe characters"; no leading slash, which would make an empty first path segment.
const S3_KEY = /^[A-Za-z0-9!_.*'()-][A-Za-z0-9!_.*'()/-]{0,1023}$/;

/** Shown for a missing, null, empty or `latest` image tag: a deploy must name exactly what runs. */
export const IMAGE_TAG_REQUIRED =
  'set an explicit image tag or digest (sha256:…); "latest" is not deployable — pass -c imageTag=<tag>';

const NON_EMPTY = 'expected a non-empty string';
const HH_MM = 'expected HH:MM (24 h)';
const RETENTION = "expected one of CloudWatch's retention values (1, 3, 5, 7, 14, 30, 60, 90, ...)";

type Issue = { readonly input?: unknown };

/** A missing key falls through to the loader's "is required"; any other bad input gets `message`. */
const unlessMissing =
  (message: string) =>
  (issue: Issue): string | undefined =>
    issue.input === undefined ? undefined : message;

export function parseTimeOfDay(text: string): TimeOfDay | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : undefined;
}

/** An IANA Area/Location name, or UTC: Intl alone would also accept abbreviations such as "EST". */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name.includes('/') || name === 'UTC';
  } catch {
    return false;
  }
}

function object<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.strictObject(shape, { error: unlessMissing('expected an object') });
}

function text(pattern?: RegExp) {
  const nonEmpty = z.string({ error: unlessMissing(NON_EMPTY) }).min(1, { error: NON_EMPTY, abort: true });
  return pattern
    ? nonEmpty.regex(pattern, { error: (issue) => `"${String(issue.input)}" does not match ${pattern}` })
    : nonEmpty;
}

/** null and a missing key both mean "not set". */
function optionalText(pattern?: RegExp) {
  return text(pattern)
    .nullish()
    .transform((value) => value ?? null);
}

/** Missing or null: not set (reported by the tasks stack, so the repositories stack deploys without a tag). */
const imageRef = z.unknown().transform((value, ctx): ImageRef => {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value === '' || value.toLowerCase() === 'latest') {
    ctx.addIssue({ code: 'custom', message: IMAGE_TAG_REQUIRED, input: value });
    return z.NEVER;
  }
  if (IMAGE_TAG.test(value) || IMAGE_DIGEST.test(value)) return value;
  ctx.addIssue({
    code: 'custom',
    message: `"${value}" is neither an image tag (${IMAGE_TAG}) nor a digest (sha256:<64 hex>)`,
    input: value,
  });
  return z.NEVER;
});

function textList(pattern: RegExp) {
  const message = `expected a non-empty list of strings matching ${pattern}`;
  return z.array(text(pattern), { error: unlessMissing(message) }).min(1, { error: message });
}

const timeOfDay = z.string({ error: unlessMissing(HH_MM) }).transform((value, ctx) => {
  const time = parseTimeOfDay(value);
  if (time) return time;
  ctx.addIssue({ code: 'custom', message: HH_MM, input: value });
  return z.NEVER;
});

const newVpc = object({ kind: z.literal('new-vpc'), cidr: text(CIDR) });

const existingVpc = object({
  kind: z.literal('existing-vpc'),
  vpcId: text(VPC_ID),
  availabilityZones: textList(AVAILABILITY_ZONE),
  publicSubnetIds: textList(SUBNET_ID),
}).refine((vpc) => vpc.publicSubnetIds.length % vpc.availabilityZones.length === 0, {
  path: ['publicSubnetIds'],
  message: 'expected the same number of subnets in each of the availabilityZones',
  // Only on lists that passed their own checks: an empty zone list is reported once, not also here.
  when: (payload) => payload.issues.length === 0,
});

const network = z.discriminatedUnion('kind', [newVpc, existingVpc], {
  error: (issue) =>
    issue.code === 'invalid_union'
      ? 'expected "new-vpc" or "existing-vpc"'
      : unlessMissing('expected an object')(issue),
});

// INFINITE is a CDK value, not one CloudWatch accepts as RetentionInDays.
const logRetentionDays = z
  .enum(RetentionDays, { error: unlessMissing(RETENTION) })
  .refine((days) => days !== RetentionDays.INFINITE, { message: RETENTION });

/** infra/settings.json, after any `-c` context overrides; parse it with the loader in settings.ts. */
export const settingsSchema = object({
  stackName: text(STACK_NAME),
  account: optionalText(ACCOUNT),
  region: text(REGION),
  timeZone: text().refine(isTimeZone, {
    error: (issue) => `"${String(issue.input)}" is not an IANA time zone`,
  }),
  schedules: object({ job: timeOfDay, check: timeOfDay }),
  imageTags: object({ main: imageRef, check: imageRef }).default({ main: null, check: null }),
  repositoryNames: object({ main: text(REPOSITORY_NAME), check: text(REPOSITORY_NAME) }),
  network,
  logGroups: object({ job: text(), check: text() }).refine((groups) => groups.job !== groups.check, {
    path: ['check'],
    message: 'must differ from logGroups.job (the checker may read only the job group)',
  }),
  logRetentionDays,
  secretNames: object({ wandbApiKey: text(), slackWebhookUrl: optionalText() }),
  wandbBaseUrl: optionalText(HTTP_URL),
  notifications: object({ email: optionalText(EMAIL), slackWebhookSecretName: optionalText() }),
  config: object({ key: text(S3_KEY).default('config.yaml') }).default({ key: 'config.yaml' }),
  configFile: text().default('../config.yaml'),
}) satisfies z.ZodType<DeploymentSettings>;

/** A settings problem at its dot path (`logGroups.job`), as the synth reports it. */
export type SettingsIssue = { readonly path: string; readonly message: string };
