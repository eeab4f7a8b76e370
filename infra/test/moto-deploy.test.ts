// Deploys the synthesized templates into moto_server's CloudFormation in the documented order (the repositories
// stack, then the tasks stack, which imports the config bucket from it) and checks what they created. moto ignores
// resource types it does not model (AWS::Scheduler::Schedule, AWS::CloudWatch::Alarm, AWS::Logs::MetricFilter,
// AWS::SNS::TopicPolicy, AWS::SNS::Subscription, AWS::Events::Connection / ApiDestination), so those are covered by
// the assertion tests; here: repositories, bucket, cluster, task definitions, log groups, roles, policies, topic
// and rule.

import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  paginateListStackResources,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeClustersCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
} from '@aws-sdk/client-eventbridge';
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { GetBucketEncryptionCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BootstraplessSynthesizer, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSettings, makeStacks, TEST_IMAGE_TAG } from './builders.js';
import { type MotoServer, startMotoServer } from './moto-server.js';

const REGION = 'ap-northeast-1';
const STACK_NAME = 'GpuDashboardMoto';
const REPOSITORIES_STACK_NAME = `${STACK_NAME}-Repositories`;

let moto: MotoServer | undefined;
/** The tasks stack's resources. */
const resources: StackResourceSummary[] = [];
const repositoryResources: StackResourceSummary[] = [];
const stackStatus: Record<string, { status?: string; reason?: string }> = {};

function clientConfig() {
  if (!moto) throw new Error('moto_server is not running');
  return {
    endpoint: moto.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
}

function physicalIds(type: string, of: StackResourceSummary[] = resources): string[] {
  return of.filter((r) => r.ResourceType === type).map((r) => r.PhysicalResourceId ?? '');
}

async function outputsOf(stackName: string): Promise<Record<string, string | undefined>> {
  const cfn = new CloudFormationClient(clientConfig());
  const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
  return Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
}

function roleIdOf(logicalIdPrefix: string): string {
  const found = resources.filter(
    (r) => r.ResourceType === 'AWS::IAM::Role' && r.LogicalResourceId?.startsWith(logicalIdPrefix),
  );
  expect(found, logicalIdPrefix).toHaveLength(1);
  return found[0]?.PhysicalResourceId ?? '';
}

/** IAM role name from a role ARN or name. */
const roleName = (idOrArn: string): string => idOrArn.split('/').pop() ?? idOrArn;

// A setup failure (no moto_server, stack not created) is rethrown by every test, so each counts as failed.
let setupError: unknown;
function ready(): void {
  if (setupError !== undefined) throw setupError;
}

beforeAll(async () => {
  try {
    await deployStack();
  } catch (e) {
    setupError = e;
  }
});

async function deployStack(): Promise<void> {
  moto = await startMotoServer();
  // Without Slack: moto cannot resolve Fn::GetAtt on the API destination it does not model.
  const { repositories, tasks } = makeStacks(
    makeSettings({
      stackName: STACK_NAME,
      notifications: { email: 'ops@example.com', slackWebhookSecretName: null },
    }),
    () => new BootstraplessSynthesizer(),
  );
  const cfn = new CloudFormationClient(clientConfig());
  // In order: the tasks stack imports the config bucket's name and ARN exported by the repositories stack.
  for (const [stack, into] of [
    [repositories, repositoryResources],
    [tasks, resources],
  ] as [Stack, StackResourceSummary[]][]) {
    const name = stack.stackName;
    await cfn.send(
      new CreateStackCommand({
        StackName: name,
        TemplateBody: JSON.stringify(Template.fromStack(stack).toJSON()),
        Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
      }),
    );
    const deadline = Date.now() + 60_000;
    do {
      const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: name }));
      stackStatus[name] = { status: Stacks?.[0]?.StackStatus, reason: Stacks?.[0]?.StackStatusReason };
      if (!stackStatus[name]?.status?.endsWith('_IN_PROGRESS')) break;
      await new Promise((r) => setTimeout(r, 250));
    } while (Date.now() < deadline);
    for await (const page of paginateListStackResources({ client: cfn }, { StackName: name })) {
      into.push(...(page.StackResourceSummaries ?? []));
    }
  }
}

afterAll(async () => {
  await moto?.stop();
});

describe('deployment into moto_server CloudFormation', () => {
  it('completes both stacks, the repositories stack first', () => {
    ready();
    expect(Object.keys(stackStatus)).toEqual([REPOSITORIES_STACK_NAME, STACK_NAME]);
    for (const { status, reason } of Object.values(stackStatus)) {
      expect({ status, reason }).toEqual({ status: 'CREATE_COMPLETE', reason });
    }
  });

  it('creates an active ECS cluster', async () => {
    ready();
    const [clusterId] = physicalIds('AWS::ECS::Cluster');
    expect(clusterId).toBeTruthy();
    const ecs = new ECSClient(clientConfig());
    const { clusters } = await ecs.send(new DescribeClustersCommand({ clusters: [clusterId ?? ''] }));
    expect(clusters?.map((c) => c.status)).toEqual(['ACTIVE']);
  });

  it('registers both task definitions with their image, awslogs, secrets from Secrets Manager and the node user', async () => {
    ready();
    const ecs = new ECSClient(clientConfig());
    const arns = physicalIds('AWS::ECS::TaskDefinition');
    expect(arns).toHaveLength(2);
    const groups: string[] = [];
    for (const arn of arns) {
      const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
      // moto's CloudFormation keeps the containers but drops networkMode, compatibilities and the role ARNs;
      // those are asserted on the template in stack.test.ts.
      expect(taskDefinition?.status).toBe('ACTIVE');
      const [container] = taskDefinition?.containerDefinitions ?? [];
      expect(container?.image).toMatch(
        new RegExp(
          `\\.dkr\\.ecr\\.ap-northeast-1\\.amazonaws\\.com/gpu-dashboard/(main|check):${TEST_IMAGE_TAG}$`,
        ),
      );
      expect(container?.user).toBe('node');
      expect(container?.logConfiguration?.logDriver).toBe('awslogs');
      groups.push(container?.logConfiguration?.options?.['awslogs-group'] ?? '');
      expect(container?.secrets).toEqual([
        { name: 'WANDB_API_KEY', valueFrom: expect.stringMatching(/:secret:gpu-dashboard\/wandb-api-key$/) },
        {
          name: 'SLACK_WEBHOOK_URL',
          valueFrom: expect.stringMatching(/:secret:gpu-dashboard\/slack-webhook-url$/),
        },
      ]);
      const envNames = container?.environment?.map((e) => e.name) ?? [];
      expect(envNames).not.toContain('WANDB_API_KEY');
      expect(envNames).not.toContain('SLACK_WEBHOOK_URL');
      const [bucket] = physicalIds('AWS::S3::Bucket', repositoryResources);
      expect(container?.environment).toContainEqual({
        name: 'GPU_DASHBOARD_CONFIG',
        value: `s3://${bucket}/config.yaml`,
      });
    }
    expect(groups.sort()).toEqual(['/ecs/gpu-dashboard', '/ecs/gpu-dashboard-check']);
  });

  it('creates both log groups with a 90-day retention', async () => {
    ready();
    const logs = new CloudWatchLogsClient(clientConfig());
    const { logGroups } = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/gpu-dashboard' }),
    );
    expect(logGroups?.map((g) => [g.logGroupName, g.retentionInDays]).sort()).toEqual([
      ['/ecs/gpu-dashboard', 90],
      ['/ecs/gpu-dashboard-check', 90],
    ]);
  });

  it('creates the roles: two execution roles, two task roles and the scheduler role', async () => {
    ready();
    const iam = new IAMClient(clientConfig());
    const roles = physicalIds('AWS::IAM::Role');
    expect(roles).toHaveLength(5);
    for (const role of roles) {
      const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleName(role) }));
      expect(Role?.Arn).toMatch(/^arn:aws:iam::\d{12}:role\//);
    }
  });

  /** The one inline policy of a task role, as moto stored it. */
  async function taskRoleStatements(
    prefix: string,
  ): Promise<{ Action: string | string[]; Resource: string | string[] }[]> {
    const iam = new IAMClient(clientConfig());
    const role = roleName(roleIdOf(prefix));
    const { PolicyNames } = await iam.send(new ListRolePoliciesCommand({ RoleName: role }));
    expect(PolicyNames).toHaveLength(1);
    const { PolicyDocument } = await iam.send(
      new GetRolePolicyCommand({ RoleName: role, PolicyName: PolicyNames?.[0] ?? '' }),
    );
    return (JSON.parse(decodeURIComponent(PolicyDocument ?? '{}')) as { Statement: never[] }).Statement;
  }

  it("lets the checker's task role read the config object and search the job log group, nothing else", async () => {
    ready();
    const [bucket] = physicalIds('AWS::S3::Bucket', repositoryResources);
    const [config, logs] = await taskRoleStatements('CheckTaskDefinitionTaskRole');
    expect(config).toMatchObject({ Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/config.yaml` });
    expect(logs?.Action).toBe('logs:FilterLogEvents');
    for (const arn of [logs?.Resource ?? []].flat()) {
      expect(arn).toMatch(/^arn:aws:logs:ap-northeast-1:\d{12}:log-group:\/ecs\/gpu-dashboard(:\*)?$/);
    }
  });

  it("lets the job's task role read the config object only", async () => {
    ready();
    const [bucket] = physicalIds('AWS::S3::Bucket', repositoryResources);
    expect(await taskRoleStatements('JobTaskDefinitionTaskRole')).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/config.yaml` },
    ]);
  });

  it('resolves the outputs a backfill uses', async () => {
    ready();
    const outputs = await outputsOf(STACK_NAME);
    expect(outputs.JobTaskDefinitionArn).toBe(
      physicalIds('AWS::ECS::TaskDefinition').find((a) => a.includes('Job')),
    );
    expect(outputs.TaskSubnetIds?.split(',').sort()).toEqual(physicalIds('AWS::EC2::Subnet').sort());
    expect(outputs.TaskSecurityGroupId).toMatch(/^sg-/);
    expect(outputs.JobLogGroupName).toBe('/ecs/gpu-dashboard');
  });

  it('creates both image repositories, with immutable tags, in the repositories stack', async () => {
    ready();
    const ecr = new ECRClient(clientConfig());
    const { repositories } = await ecr.send(new DescribeRepositoriesCommand({}));
    expect(repositories?.map((r) => [r.repositoryName, r.imageTagMutability]).sort()).toEqual([
      ['gpu-dashboard/check', 'IMMUTABLE'],
      ['gpu-dashboard/main', 'IMMUTABLE'],
    ]);
    expect(physicalIds('AWS::ECR::Repository', repositoryResources)).toHaveLength(2);
    expect(physicalIds('AWS::ECR::Repository')).toEqual([]);
  });

  it('creates the encrypted config bucket; the documented upload lands where the tasks look', async () => {
    ready();
    const s3 = new S3Client({ ...clientConfig(), forcePathStyle: true });
    const [bucket] = physicalIds('AWS::S3::Bucket', repositoryResources);
    const { ServerSideEncryptionConfiguration } = await s3.send(
      new GetBucketEncryptionCommand({ Bucket: bucket }),
    );
    expect(
      ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
    ).toBe('AES256');
    const outputs = await outputsOf(REPOSITORIES_STACK_NAME);
    expect(outputs.ConfigObjectUri).toBe(`s3://${bucket}/config.yaml`);
    expect(outputs.ConfigBucketName).toBe(bucket);
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'config.yaml', Body: 'timezone: Asia/Tokyo\n' }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'config.yaml' }));
    expect(await got.Body?.transformToString()).toBe('timezone: Asia/Tokyo\n');
  });

  it('creates the failure topic and the task-failure rule with the cluster and both families resolved', async () => {
    ready();
    const [topicArn] = physicalIds('AWS::SNS::Topic');
    expect((await outputsOf(STACK_NAME)).FailureTopicArn).toBe(topicArn);
    const events = new EventBridgeClient(clientConfig());
    const rules = physicalIds('AWS::Events::Rule');
    const patterns = await Promise.all(
      rules.map(
        async (name) => (await events.send(new DescribeRuleCommand({ Name: name }))).EventPattern ?? '',
      ),
    );
    const taskRule = rules[patterns.findIndex((p) => p.includes('ECS Task State Change'))] ?? '';
    const pattern = JSON.parse(patterns[rules.indexOf(taskRule)] ?? '{}') as {
      detail: { clusterArn: string[]; taskDefinitionArn: { prefix: string }[] };
    };
    const [cluster] = physicalIds('AWS::ECS::Cluster');
    expect(pattern.detail.clusterArn).toEqual([expect.stringMatching(new RegExp(`:cluster/${cluster}$`))]);
    expect(pattern.detail.taskDefinitionArn.map((p) => p.prefix)).toEqual([
      expect.stringMatching(/^arn:aws:ecs:ap-northeast-1:\d{12}:task-definition\/GpuDashboardMotoJob\w+:$/),
      expect.stringMatching(/^arn:aws:ecs:ap-northeast-1:\d{12}:task-definition\/GpuDashboardMotoCheck\w+:$/),
    ]);
    const { Targets } = await events.send(new ListTargetsByRuleCommand({ Rule: taskRule }));
    expect(Targets?.[0]?.Arn).toBe(topicArn);
  });
});
