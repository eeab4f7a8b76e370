// Deploys the synthesized template into moto_server's CloudFormation and checks what it created.
// moto ignores resource types it does not model (AWS::Scheduler::Schedule, AWS::SecretsManager::Secret), so the
// schedules and secrets are covered by stack.test.ts; here: cluster, task definitions, log groups, roles, policies.

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
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { BootstraplessSynthesizer } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSettings, makeStack } from './builders.js';
import { type MotoServer, startMotoServer } from './moto-server.js';

const REGION = 'ap-northeast-1';
const STACK_NAME = 'GpuDashboardMoto';

let moto: MotoServer | undefined;
const resources: StackResourceSummary[] = [];
let stackStatus: string | undefined;
let stackReason: string | undefined;

function clientConfig() {
  if (!moto) throw new Error('moto_server is not running');
  return {
    endpoint: moto.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
}

function physicalIds(type: string): string[] {
  return resources.filter((r) => r.ResourceType === type).map((r) => r.PhysicalResourceId ?? '');
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
  const stack = makeStack(makeSettings({ stackName: STACK_NAME }), new BootstraplessSynthesizer());
  const templateBody = JSON.stringify(Template.fromStack(stack).toJSON());
  const cfn = new CloudFormationClient(clientConfig());
  await cfn.send(
    new CreateStackCommand({
      StackName: STACK_NAME,
      TemplateBody: templateBody,
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
    }),
  );
  const deadline = Date.now() + 60_000;
  do {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: STACK_NAME }));
    stackStatus = Stacks?.[0]?.StackStatus;
    stackReason = Stacks?.[0]?.StackStatusReason;
    if (!stackStatus?.endsWith('_IN_PROGRESS')) break;
    await new Promise((r) => setTimeout(r, 250));
  } while (Date.now() < deadline);
  for await (const page of paginateListStackResources({ client: cfn }, { StackName: STACK_NAME })) {
    resources.push(...(page.StackResourceSummaries ?? []));
  }
}

afterAll(async () => {
  await moto?.stop();
});

describe('deployment into moto_server CloudFormation', () => {
  it('completes the stack', () => {
    ready();
    expect({ stackStatus, stackReason }).toEqual({
      stackStatus: 'CREATE_COMPLETE',
      stackReason: stackReason,
    });
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
        /\.dkr\.ecr\.ap-northeast-1\.amazonaws\.com\/gpu-dashboard\/(main|check):latest$/,
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

  it("attaches to the checker's task role only read access to the job log group", async () => {
    ready();
    const iam = new IAMClient(clientConfig());
    const role = roleName(roleIdOf('CheckTaskDefinitionTaskRole'));
    const { PolicyNames } = await iam.send(new ListRolePoliciesCommand({ RoleName: role }));
    expect(PolicyNames).toHaveLength(1);
    const { PolicyDocument } = await iam.send(
      new GetRolePolicyCommand({ RoleName: role, PolicyName: PolicyNames?.[0] ?? '' }),
    );
    const doc = JSON.parse(decodeURIComponent(PolicyDocument ?? '{}')) as {
      Statement: { Action: string[]; Resource: string[] }[];
    };
    expect(doc.Statement).toHaveLength(1);
    expect(doc.Statement[0]?.Action).toEqual([
      'logs:DescribeLogStreams',
      'logs:FilterLogEvents',
      'logs:GetLogEvents',
    ]);
    for (const arn of doc.Statement[0]?.Resource ?? []) {
      expect(arn).toMatch(/^arn:aws:logs:ap-northeast-1:\d{12}:log-group:\/ecs\/gpu-dashboard(:\*)?$/);
    }
  });

  it("gives the job's task role no policies", async () => {
    ready();
    const iam = new IAMClient(clientConfig());
    const role = roleName(roleIdOf('JobTaskDefinitionTaskRole'));
    const { PolicyNames } = await iam.send(new ListRolePoliciesCommand({ RoleName: role }));
    expect(PolicyNames).toEqual([]);
  });

  it('resolves the outputs a backfill uses', async () => {
    ready();
    const cfn = new CloudFormationClient(clientConfig());
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: STACK_NAME }));
    const outputs = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    expect(outputs.JobTaskDefinitionArn).toBe(
      physicalIds('AWS::ECS::TaskDefinition').find((a) => a.includes('Job')),
    );
    expect(outputs.TaskSubnetIds?.split(',').sort()).toEqual(physicalIds('AWS::EC2::Subnet').sort());
    expect(outputs.TaskSecurityGroupId).toMatch(/^sg-/);
    expect(outputs.JobLogGroupName).toBe('/ecs/gpu-dashboard');
  });

  it('creates both image repositories', async () => {
    ready();
    const ecr = new ECRClient(clientConfig());
    const { repositories } = await ecr.send(new DescribeRepositoriesCommand({}));
    expect(repositories?.map((r) => r.repositoryName).sort()).toEqual([
      'gpu-dashboard/check',
      'gpu-dashboard/main',
    ]);
  });
});
