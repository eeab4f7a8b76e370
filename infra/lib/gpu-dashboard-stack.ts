import {
  Annotations,
  CfnOutput,
  CrossStackReferences,
  Fn,
  ReferenceStrength,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { ConfigBucket } from './constructs/config-bucket.js';
import { completionAlarmHours, FailureNotice } from './constructs/failure-notice.js';
import { PublicTaskNetwork } from './constructs/public-task-network.js';
import { ScheduledTask } from './constructs/scheduled-task.js';
import { type DeploymentSettings, IMAGE_TAG_REQUIRED, type ImageRef } from './settings-schema.js';
import { TASK_MEMORY_MIB } from './task-sizes.js';

export type GpuDashboardStackProps = StackProps & {
  readonly settings: Omit<DeploymentSettings, 'stackName' | 'account' | 'region' | 'configFile'>;
  /** The config bucket of the repositories stack (a cross-stack reference). */
  readonly config: ConfigBucket;
};

/** The only call the checker makes: src/product/checker/cloudwatch-log.ts pages through FilterLogEvents. */
export const CHECKER_LOG_ACTIONS = ['logs:FilterLogEvents'] as const;
/** The only call both commands make for the config: src/product/config/read-source.ts (GetObject, no version). */
export const CONFIG_READ_ACTIONS = ['s3:GetObject'] as const;

/** ECS injects a secret with GetSecretValue alone; CDK's own grant would add DescribeSecret, which nothing calls. */
export const SECRET_INJECT_ACTIONS = ['secretsmanager:GetSecretValue'] as const;

function injectedSecret(secret: secretsmanager.ISecret): ecs.Secret {
  return {
    arn: secret.secretArn,
    hasField: false,
    grantRead: (grantee) =>
      iam.Grant.addToPrincipal({
        grantee,
        actions: [...SECRET_INJECT_ACTIONS],
        // A secret imported by name has a partial ARN; the real one ends in a random 6-character suffix.
        resourceArns: [`${secret.secretArn}-??????`],
      }),
  };
}

/** Stands in for an unset tag in a stack that carries an error and so cannot be deployed. */
const UNSET_TAG = 'unset';

/**
 * gpu-dashboard on ECS Fargate: the nightly job (`gpu-dashboard run`) and the morning health check
 * (`gpu-dashboard check`), each on its own EventBridge Scheduler schedule in the configured time zone, with failure
 * notices. The images and the config come from the repositories stack, deployed first.
 */
export class GpuDashboardStack extends Stack {
  readonly job: ScheduledTask;
  readonly check: ScheduledTask;
  readonly notice: FailureNotice;
  private readonly azs: readonly string[];

  constructor(scope: Construct, id: string, props: GpuDashboardStackProps) {
    super(scope, id, props);
    // Export/import (CDK's default, stated): CloudFormation then refuses to delete the repositories stack, and so
    // the config bucket's export, while this stack reads it.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const s = props.settings;
    this.azs =
      s.network.kind === 'existing-vpc'
        ? s.network.availabilityZones
        : [0, 1].map((i) => Fn.select(i, Fn.getAzs()));

    const network = new PublicTaskNetwork(this, 'Network', { network: s.network });
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc: network.vpc });
    // By name: the repositories stack owns them, so this stack can be replaced without touching the images.
    const mainImages = ecr.Repository.fromRepositoryName(this, 'MainImages', s.repositoryNames.main);
    const checkImages = ecr.Repository.fromRepositoryName(this, 'CheckImages', s.repositoryNames.check);

    // Referenced by name, not created: the operator creates them once (docs/deployment.md), so their values never
    // pass through CloudFormation and they survive the stack. ECS reads them at task start (execution role).
    const secretByName = (id: string, name: string): ecs.Secret =>
      injectedSecret(secretsmanager.Secret.fromSecretNameV2(this, id, name));
    const secrets: Record<string, ecs.Secret> = {
      WANDB_API_KEY: secretByName('WandbApiKey', s.secretNames.wandbApiKey),
    };
    if (s.secretNames.slackWebhookUrl !== null) {
      secrets.SLACK_WEBHOOK_URL = secretByName('SlackWebhookUrl', s.secretNames.slackWebhookUrl);
    }
    const environment: Record<string, string> = {
      LOG_LEVEL: 'info',
      GPU_DASHBOARD_CONFIG: props.config.objectUri,
    };
    if (s.wandbBaseUrl !== null) environment.WANDB_BASE_URL = s.wandbBaseUrl;
    // An image run by digest says so: the commands record it as provenance (src/product/cli/provenance.ts).
    const environmentFor = (ref: ImageRef): Record<string, string> =>
      ref?.startsWith('sha256:') ? { ...environment, GPU_DASHBOARD_IMAGE_DIGEST: ref } : environment;

    const common = {
      cluster,
      subnets: network.subnets,
      securityGroup: network.securityGroup,
      logRetention: s.logRetentionDays,
      secrets,
      timeZone: s.timeZone,
    };
    this.job = new ScheduledTask(this, 'Job', {
      ...common,
      image: this.image(mainImages, s.imageTags.main, 'imageTags.main'),
      environment: environmentFor(s.imageTags.main),
      cpu: 1024,
      memoryLimitMiB: TASK_MEMORY_MIB.job,
      logGroupName: s.logGroups.job,
      streamPrefix: 'run',
      runAt: s.schedules.job,
      description: 'gpu-dashboard run: nightly ETL',
    });
    this.check = new ScheduledTask(this, 'Check', {
      ...common,
      image: this.image(checkImages, s.imageTags.check, 'imageTags.check'),
      environment: environmentFor(s.imageTags.check),
      cpu: 256,
      memoryLimitMiB: TASK_MEMORY_MIB.check,
      logGroupName: s.logGroups.check,
      streamPrefix: 'check',
      runAt: s.schedules.check,
      description: 'gpu-dashboard check: morning health check',
    });
    // Each task role may do exactly what its command calls: both read the one config object, the checker also
    // searches the job's log group (and no other).
    for (const task of [this.job, this.check]) {
      task.taskRole.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: [...CONFIG_READ_ACTIONS], resources: [props.config.objectArn] }),
      );
    }
    this.job.logGroup.grant(this.check.taskRole, ...CHECKER_LOG_ACTIONS);

    this.notice = new FailureNotice(this, 'FailureNotice', {
      cluster,
      families: [this.job.taskDefinition.family, this.check.taskDefinition.family],
      jobLogGroup: this.job.logGroup,
      hoursWithoutCompletion: completionAlarmHours(s.schedules.job, s.schedules.check),
      email: s.notifications.email,
      slackWebhookSecretName: s.notifications.slackWebhookSecretName,
    });

    // What a manual `aws ecs run-task` (backfill) needs; see docs/deployment.md.
    const outputs: Record<string, string> = {
      ClusterName: cluster.clusterName,
      JobTaskDefinitionArn: this.job.taskDefinition.taskDefinitionArn,
      CheckTaskDefinitionArn: this.check.taskDefinition.taskDefinitionArn,
      TaskSubnetIds: Fn.join(',', network.vpc.selectSubnets(network.subnets).subnetIds),
      TaskSecurityGroupId: network.securityGroup.securityGroupId,
      JobLogGroupName: this.job.logGroup.logGroupName,
      CheckLogGroupName: this.check.logGroup.logGroupName,
      FailureTopicArn: this.notice.topic.topicArn,
    };
    for (const [name, value] of Object.entries(outputs)) new CfnOutput(this, name, { value });
  }

  /**
   * The image by tag, or by digest (`repo@sha256:…`). An unset tag is an error on this stack only: `cdk synth` and
   * `cdk deploy` of it fail with the message, while the repositories stack still deploys before any image exists.
   */
  private image(repository: ecr.IRepository, ref: ImageRef, setting: string): ecs.ContainerImage {
    if (ref === null) Annotations.of(this).addError(`${setting}: ${IMAGE_TAG_REQUIRED}`);
    return ecs.ContainerImage.fromEcrRepository(repository, ref ?? UNSET_TAG);
  }

  /**
   * A new VPC takes the region's first two zones at deploy time (Fn::GetAZs) and an existing one its configured
   * zones, so that a stack with a concrete account never runs the AZ context lookup at synth.
   */
  override get availabilityZones(): string[] {
    return [...this.azs];
  }
}
