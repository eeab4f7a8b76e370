import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { makeSettings, makeStack } from './builders.js';

type Resource = { Type: string; Properties?: Record<string, unknown> };
type ContainerDefinition = {
  Environment?: { Name: string; Value: unknown }[];
  Secrets?: { Name: string; ValueFrom: unknown }[];
  LogConfiguration?: { LogDriver: string; Options: Record<string, unknown> };
  User?: string;
};

const template = Template.fromStack(makeStack());
const resources = template.toJSON().Resources as Record<string, Resource>;

function logicalIdOf(type: string, props: Record<string, unknown>): string {
  const ids = Object.keys(template.findResources(type, { Properties: props }));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

function containersOf(taskDefinitionId: string): ContainerDefinition[] {
  return (resources[taskDefinitionId]?.Properties?.ContainerDefinitions ?? []) as ContainerDefinition[];
}

const jobLogs = logicalIdOf('AWS::Logs::LogGroup', { LogGroupName: '/ecs/gpu-dashboard' });
const checkLogs = logicalIdOf('AWS::Logs::LogGroup', { LogGroupName: '/ecs/gpu-dashboard-check' });
const taskDefinitions = Object.keys(template.findResources('AWS::ECS::TaskDefinition'));
const taskDefinitionLoggingTo = (logGroupId: string): string => {
  const found = taskDefinitions.filter((id) =>
    containersOf(id).some(
      (c) =>
        JSON.stringify(c.LogConfiguration?.Options?.['awslogs-group']) ===
        JSON.stringify({ Ref: logGroupId }),
    ),
  );
  expect(found).toHaveLength(1);
  return found[0] as string;
};
const jobTask = taskDefinitionLoggingTo(jobLogs);
const checkTask = taskDefinitionLoggingTo(checkLogs);
const roleIdOf = (taskId: string, attr: 'TaskRoleArn' | 'ExecutionRoleArn'): string =>
  (resources[taskId]?.Properties?.[attr] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

describe('schedules', () => {
  it('runs the job nightly at 00:15 and the checker at 09:00, both in Asia/Tokyo, on Fargate with a public IP', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    for (const [cron, task] of [
      ['cron(15 0 * * ? *)', jobTask],
      ['cron(0 9 * * ? *)', checkTask],
    ] as const) {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: cron,
        ScheduleExpressionTimezone: 'Asia/Tokyo',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: Match.objectLike({
          EcsParameters: Match.objectLike({
            TaskDefinitionArn: { Ref: task },
            LaunchType: 'FARGATE',
            NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'ENABLED' }) },
          }),
        }),
      });
    }
  });

  it('follows the settings: another zone and times change the expressions', () => {
    const t = Template.fromStack(
      makeStack(makeSettings({ timeZone: 'Europe/Berlin', schedules: { job: '23:05', check: '07:30' } })),
    );
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(5 23 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
    });
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 7 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
    });
  });
});

describe('secrets', () => {
  const secretNames = ['WANDB_API_KEY', 'SLACK_WEBHOOK_URL'];
  const secretArn = (name: string) => ({
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':secretsmanager:ap-northeast-1:',
        { Ref: 'AWS::AccountId' },
        `:secret:${name}`,
      ],
    ],
  });

  it('injects the W&B key and the Slack webhook from Secrets Manager into both tasks', () => {
    for (const task of [jobTask, checkTask]) {
      const [container] = containersOf(task);
      expect(container?.Secrets).toEqual([
        { Name: 'WANDB_API_KEY', ValueFrom: secretArn('gpu-dashboard/wandb-api-key') },
        { Name: 'SLACK_WEBHOOK_URL', ValueFrom: secretArn('gpu-dashboard/slack-webhook-url') },
      ]);
    }
  });

  it('lets only the execution roles read the secrets, and only those two', () => {
    const readers = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p).includes('secretsmanager:'),
    ) as Resource[];
    expect(readers.map((p) => JSON.stringify(p.Properties?.Roles)).sort()).toEqual(
      [roleIdOf(checkTask, 'ExecutionRoleArn'), roleIdOf(jobTask, 'ExecutionRoleArn')]
        .map((r) => JSON.stringify([{ Ref: r }]))
        .sort(),
    );
    for (const policy of readers) {
      const text = JSON.stringify(policy);
      expect(text.match(/:secret:[^"]+/g)?.sort()).toEqual([
        ':secret:gpu-dashboard/slack-webhook-url-??????',
        ':secret:gpu-dashboard/wandb-api-key-??????',
      ]);
    }
  });

  it('never puts a secret into the plain environment of any container, nor the stack a secret value', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    for (const task of taskDefinitions) {
      for (const container of containersOf(task)) {
        expect(container.Environment?.length).toBeGreaterThan(0);
        for (const env of container.Environment ?? []) {
          expect(secretNames).not.toContain(env.Name);
          expect(env.Name).not.toMatch(/KEY|TOKEN|SECRET|WEBHOOK|PASSWORD/);
          expect(JSON.stringify(env.Value)).not.toContain('secretsmanager');
        }
      }
    }
  });

  it('drops the Slack secret when the settings have none', () => {
    const t = Template.fromStack(
      makeStack(
        makeSettings({
          secretNames: { wandbApiKey: 'gpu-dashboard/wandb-api-key', slackWebhookUrl: null },
          notifications: { email: null, slackWebhookSecretName: null },
        }),
      ),
    );
    const text = JSON.stringify(t.toJSON());
    expect(text).not.toContain('SLACK_WEBHOOK_URL');
    expect(text).not.toContain('slack-webhook-url');
    expect(text).toContain('WANDB_API_KEY');
  });
});

describe('logging', () => {
  it('keeps both log groups for 90 days and sends each task to its own group through awslogs', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 2);
    for (const id of [jobLogs, checkLogs]) {
      expect(resources[id]?.Properties?.RetentionInDays).toBe(90);
    }
    for (const [task, group, prefix] of [
      [jobTask, jobLogs, 'run'],
      [checkTask, checkLogs, 'check'],
    ] as const) {
      const [container] = containersOf(task);
      expect(container?.LogConfiguration).toEqual({
        LogDriver: 'awslogs',
        Options: {
          'awslogs-group': { Ref: group },
          'awslogs-stream-prefix': prefix,
          'awslogs-region': 'ap-northeast-1',
        },
      });
    }
  });

  it('follows the retention setting', () => {
    const t = Template.fromStack(makeStack(makeSettings({ logRetentionDays: 30 })));
    t.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });
});

describe('least privilege', () => {
  const policiesOfRole = (roleId: string) =>
    Object.values(
      template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
      }),
    ) as Resource[];
  const statementsOfRole = (roleId: string) => {
    const policies = policiesOfRole(roleId);
    expect(policies).toHaveLength(1);
    return (policies[0]?.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
  };
  const configObjectArn = {
    'Fn::Join': [
      '',
      [
        {
          'Fn::ImportValue': Match.stringLikeRegexp(
            '^GpuDashboard-Repositories:ExportsOutput.*ConfigBucket.*Arn',
          ),
        },
        '/config.yaml',
      ],
    ],
  };

  it('lets the checker read the config object and search only the job log group, with one action each', () => {
    const [config, logs] = statementsOfRole(roleIdOf(checkTask, 'TaskRoleArn'));
    expect(config).toEqual({ Effect: 'Allow', Action: 's3:GetObject', Resource: expect.anything() });
    expect(Match.objectLike({ Resource: configObjectArn }).test(config).isSuccess).toBe(true);
    expect(logs?.Effect).toBe('Allow');
    expect(logs?.Action).toBe('logs:FilterLogEvents');
    const resourcesJson = JSON.stringify(logs?.Resource);
    expect(resourcesJson).toContain(jobLogs);
    expect(resourcesJson).not.toContain(checkLogs);
    expect(resourcesJson).not.toContain('"*"');
  });

  it('lets the job task role read the config object and nothing else', () => {
    const role = roleIdOf(jobTask, 'TaskRoleArn');
    const statements = statementsOfRole(role);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ Effect: 'Allow', Action: 's3:GetObject' });
    expect(Match.objectLike({ Resource: configObjectArn }).test(statements[0]).isSuccess).toBe(true);
    expect(resources[role]?.Properties?.ManagedPolicyArns).toBeUndefined();
    expect(resources[role]?.Properties?.Policies).toBeUndefined();
  });

  it('runs both containers as the node user', () => {
    for (const task of [jobTask, checkTask]) expect(containersOf(task)[0]?.User).toBe('node');
  });
});

describe('networking and synthesis', () => {
  it('needs no NAT gateway, no custom resource and no asset', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(Object.values(resources).filter((r) => r.Type.startsWith('Custom::'))).toEqual([]);
    template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true });
  });

  it('uses an existing VPC by its attributes without creating one', () => {
    const t = Template.fromStack(
      makeStack(
        makeSettings({
          account: '123456789012',
          network: {
            kind: 'existing-vpc',
            vpcId: 'vpc-0123abcd4567',
            availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'],
            publicSubnetIds: ['subnet-0aaa1111', 'subnet-0ccc3333'],
          },
        }),
      ),
    );
    t.resourceCountIs('AWS::EC2::VPC', 0);
    t.resourceCountIs('AWS::EC2::Subnet', 0);
    t.hasResourceProperties('AWS::EC2::SecurityGroup', { VpcId: 'vpc-0123abcd4567' });
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: Match.objectLike({
        EcsParameters: Match.objectLike({
          NetworkConfiguration: {
            AwsvpcConfiguration: Match.objectLike({ Subnets: ['subnet-0aaa1111', 'subnet-0ccc3333'] }),
          },
        }),
      }),
    });
  });

  it('creates no image repository: it runs the images of the repositories stack', () => {
    template.resourceCountIs('AWS::ECR::Repository', 0);
    template.resourceCountIs('AWS::S3::Bucket', 0);
  });
});

describe('outputs', () => {
  it('exports what a manual backfill needs, and the failure topic', () => {
    const outputs = Object.keys(template.toJSON().Outputs as Record<string, unknown>).sort();
    expect(outputs).toEqual(
      [
        'CheckLogGroupName',
        'CheckTaskDefinitionArn',
        'ClusterName',
        'FailureTopicArn',
        'JobLogGroupName',
        'JobTaskDefinitionArn',
        'TaskSecurityGroupId',
        'TaskSubnetIds',
      ].sort(),
    );
    template.hasOutput('JobTaskDefinitionArn', { Value: { Ref: jobTask } });
  });
});
