import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ImageRepository } from './constructs/image-repository.js';
import { PublicTaskNetwork } from './constructs/public-task-network.js';
import { ScheduledTask } from './constructs/scheduled-task.js';
import type { DeploymentSettings } from './settings-schema.js';

export type GpuDashboardStackProps = StackProps & {
  readonly settings: Omit<DeploymentSettings, 'stackName' | 'account' | 'region'>;
};

/** Actions the checker needs to find `pipeline.completed` and error events in the job's log group. */
export const CHECKER_LOG_ACTIONS = [
  'logs:DescribeLogStreams',
  'logs:FilterLogEvents',
  'logs:GetLogEvents',
] as const;

/**
 * gpu-dashboard on ECS Fargate: the nightly job (`gpu-dashboard run`) and the morning health check
 * (`gpu-dashboard check`), each on its own EventBridge Scheduler schedule in the configured time zone.
 */
export class GpuDashboardStack extends Stack {
  readonly job: ScheduledTask;
  readonly check: ScheduledTask;
  private readonly azs: readonly string[];

  constructor(scope: Construct, id: string, props: GpuDashboardStackProps) {
    super(scope, id, props);
    const s = props.settings;
    this.azs =
      s.network.kind === 'existing-vpc'
        ? s.network.availabilityZones
        : [0, 1].map((i) => Fn.select(i, Fn.getAzs()));

    const network = new PublicTaskNetwork(this, 'Network', { network: s.network });
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc: network.vpc });
    const mainImages = new ImageRepository(this, 'MainImages', { repositoryName: s.repositoryNames.main });
    const checkImages = new ImageRepository(this, 'CheckImages', { repositoryName: s.repositoryNames.check });

    // Referenced by name, not created: the operator creates them once (docs/deployment.md), so their values never
    // pass through CloudFormation and they survive the stack. ECS reads them at task start (execution role).
    const secretByName = (id: string, name: string): ecs.Secret =>
      ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(this, id, name));
    const secrets: Record<string, ecs.Secret> = {
      WANDB_API_KEY: secretByName('WandbApiKey', s.secretNames.wandbApiKey),
    };
    if (s.secretNames.slackWebhookUrl !== null) {
      secrets.SLACK_WEBHOOK_URL = secretByName('SlackWebhookUrl', s.secretNames.slackWebhookUrl);
    }
    const environment: Record<string, string> = { LOG_LEVEL: 'info' };
    if (s.wandbBaseUrl !== null) environment.WANDB_BASE_URL = s.wandbBaseUrl;

    const common = {
      cluster,
      subnets: network.subnets,
      securityGroup: network.securityGroup,
      logRetention: s.logRetentionDays,
      secrets,
      environment,
      timeZone: s.timeZone,
    };
    this.job = new ScheduledTask(this, 'Job', {
      ...common,
      image: ecs.ContainerImage.fromEcrRepository(mainImages.repository, s.imageTags.main),
      cpu: 1024,
      memoryLimitMiB: 2048,
      logGroupName: s.logGroups.job,
      streamPrefix: 'run',
      runAt: s.schedules.job,
      description: 'gpu-dashboard run: nightly ETL',
    });
    this.check = new ScheduledTask(this, 'Check', {
      ...common,
      image: ecs.ContainerImage.fromEcrRepository(checkImages.repository, s.imageTags.check),
      cpu: 256,
      memoryLimitMiB: 512,
      logGroupName: s.logGroups.check,
      streamPrefix: 'check',
      runAt: s.schedules.check,
      description: 'gpu-dashboard check: morning health check',
    });
    // The checker reads the job's log group and nothing else; the job's task role gets no permissions at all.
    this.job.logGroup.grant(this.check.taskRole, ...CHECKER_LOG_ACTIONS);

    // What a manual `aws ecs run-task` (backfill) and an image push need; see docs/deployment.md.
    const outputs: Record<string, string> = {
      ClusterName: cluster.clusterName,
      JobTaskDefinitionArn: this.job.taskDefinition.taskDefinitionArn,
      CheckTaskDefinitionArn: this.check.taskDefinition.taskDefinitionArn,
      TaskSubnetIds: Fn.join(',', network.vpc.selectSubnets(network.subnets).subnetIds),
      TaskSecurityGroupId: network.securityGroup.securityGroupId,
      MainRepositoryUri: mainImages.repository.repositoryUri,
      CheckRepositoryUri: checkImages.repository.repositoryUri,
      JobLogGroupName: this.job.logGroup.logGroupName,
      CheckLogGroupName: this.check.logGroup.logGroupName,
    };
    for (const [name, value] of Object.entries(outputs)) new CfnOutput(this, name, { value });
  }

  /**
   * A new VPC takes the region's first two zones at deploy time (Fn::GetAZs) and an existing one its configured
   * zones, so that a stack with a concrete account never runs the AZ context lookup at synth.
   */
  override get availabilityZones(): string[] {
    return [...this.azs];
  }
}
