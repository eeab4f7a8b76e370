import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { makeSettings, makeStacks } from './builders.js';

// Every IAM action anywhere in the two synthesized templates (identity policies, trust policies, resource
// policies), by who holds it, against an explicit list: a new grant, from our code or from a CDK default, fails
// here until it is added on purpose.

type Statement = {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Principal?: { Service?: string | string[]; AWS?: string };
};
type Resource = { Type: string; Properties: Record<string, unknown> };

/** Readable holders, by logical ID prefix; an unknown role fails the test. */
const ROLES: Record<string, string> = {
  JobTaskDefinitionTaskRole: 'job task role',
  JobTaskDefinitionExecutionRole: 'job execution role',
  CheckTaskDefinitionTaskRole: 'check task role',
  CheckTaskDefinitionExecutionRole: 'check execution role',
  SchedulerRoleForTarget: 'scheduler role',
  FailureNoticeSlackInvokeRole: 'Slack invoke role',
};

const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function roleLabel(logicalId: string): string {
  const prefix = Object.keys(ROLES).find((p) => logicalId.startsWith(p));
  if (!prefix) throw new Error(`unexpected role ${logicalId}: add it to ROLES and to the expected list`);
  return ROLES[prefix] as string;
}

function describeStatement(s: Statement): string[] {
  const who = s.Principal
    ? ` by ${[...asList(s.Principal.Service), ...asList(s.Principal.AWS)].join(',')}`
    : '';
  return asList(s.Action).map((action) => `${s.Effect} ${action}${who}`);
}

/** holder -> sorted, distinct `Effect action[ by principal]`. */
function iamInventory(templates: Template[]): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  const add = (holder: string, statements: Statement[]) => {
    out[holder] ??= new Set();
    for (const line of statements.flatMap(describeStatement)) out[holder].add(line);
  };
  for (const template of templates) {
    const resources = template.toJSON().Resources as Record<string, Resource>;
    for (const [id, r] of Object.entries(resources)) {
      const doc = (key: string) => (r.Properties[key] as { Statement: Statement[] }).Statement;
      switch (r.Type) {
        case 'AWS::IAM::Role':
          add(`${roleLabel(id)} (trust)`, doc('AssumeRolePolicyDocument'));
          expect(r.Properties.Policies, id).toBeUndefined();
          expect(r.Properties.ManagedPolicyArns, id).toBeUndefined();
          break;
        case 'AWS::IAM::Policy':
          for (const role of r.Properties.Roles as { Ref: string }[])
            add(roleLabel(role.Ref), doc('PolicyDocument'));
          break;
        case 'AWS::SNS::TopicPolicy':
          add('failure topic policy', doc('PolicyDocument'));
          break;
        case 'AWS::S3::BucketPolicy':
          add('config bucket policy', doc('PolicyDocument'));
          break;
        default:
          expect(r.Type, id).not.toMatch(/^AWS::IAM::|Policy$/);
      }
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].sort()]));
}

const EXECUTION_ROLE = [
  'Allow ecr:BatchCheckLayerAvailability',
  'Allow ecr:BatchGetImage',
  'Allow ecr:GetAuthorizationToken',
  'Allow ecr:GetDownloadUrlForLayer',
  'Allow logs:CreateLogStream',
  'Allow logs:PutLogEvents',
  'Allow secretsmanager:GetSecretValue',
];
const ECS_TASKS_TRUST = ['Allow sts:AssumeRole by ecs-tasks.amazonaws.com'];

const EXPECTED: Record<string, string[]> = {
  // src/product/config/read-source.ts: GetObject of the config.
  'job task role': ['Allow s3:GetObject'],
  // ... and src/product/checker/cloudwatch-log.ts: FilterLogEvents (paginated) on the job's log group.
  'check task role': ['Allow logs:FilterLogEvents', 'Allow s3:GetObject'],
  'job execution role': EXECUTION_ROLE,
  'check execution role': EXECUTION_ROLE,
  'scheduler role': ['Allow ecs:RunTask', 'Allow iam:PassRole'],
  'Slack invoke role': ['Allow events:InvokeApiDestination'],
  'job task role (trust)': ECS_TASKS_TRUST,
  'job execution role (trust)': ECS_TASKS_TRUST,
  'check task role (trust)': ECS_TASKS_TRUST,
  'check execution role (trust)': ECS_TASKS_TRUST,
  'scheduler role (trust)': ['Allow sts:AssumeRole by scheduler.amazonaws.com'],
  'Slack invoke role (trust)': ['Allow sts:AssumeRole by events.amazonaws.com'],
  'failure topic policy': [
    'Allow sns:Publish by cloudwatch.amazonaws.com',
    'Allow sns:Publish by events.amazonaws.com',
  ],
  // enforceSSL: a deny, the only wildcard action.
  'config bucket policy': ['Deny s3:* by *'],
};

const templatesOf = (settings = makeSettings()) => {
  const { repositories, tasks } = makeStacks(settings);
  return [Template.fromStack(repositories), Template.fromStack(tasks)];
};

describe('every IAM action in the synthesized templates', () => {
  const templates = templatesOf();

  it('is exactly the expected list, holder by holder', () => {
    expect(iamInventory(templates)).toEqual(EXPECTED);
  });

  it('grants no wildcard action, and "*" as a resource only to ecr:GetAuthorizationToken (which has no ARN)', () => {
    for (const template of templates) {
      const resources = template.toJSON().Resources as Record<string, Resource>;
      for (const r of Object.values(resources).filter((x) => x.Type === 'AWS::IAM::Policy')) {
        for (const s of (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement) {
          expect(s.Effect).toBe('Allow');
          for (const action of asList(s.Action)) expect(action).not.toContain('*');
          if (asList(s.Resource).includes('*')) expect(s.Action).toBe('ecr:GetAuthorizationToken');
        }
      }
    }
  });

  it('loses the Slack role, and nothing else, without Slack', () => {
    const inventory = iamInventory(
      templatesOf(
        makeSettings({ notifications: { email: 'ops@example.com', slackWebhookSecretName: null } }),
      ),
    );
    const { 'Slack invoke role': _role, 'Slack invoke role (trust)': _trust, ...rest } = EXPECTED;
    expect(inventory).toEqual(rest);
  });
});
