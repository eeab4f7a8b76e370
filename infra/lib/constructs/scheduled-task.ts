import { Duration, TimeZone } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { TimeOfDay } from '../settings-schema.js';

export type ScheduledTaskProps = {
  readonly cluster: ecs.ICluster;
  readonly subnets: ec2.SubnetSelection;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly image: ecs.ContainerImage;
  /** The image's CMD is used unless given (e.g. ['check']). */
  readonly command?: readonly string[];
  readonly cpu: number;
  readonly memoryLimitMiB: number;
  readonly logGroupName: string;
  readonly logRetention: logs.RetentionDays;
  readonly streamPrefix: string;
  /** Injected by ECS from Secrets Manager at start; never part of the plain environment. */
  readonly secrets: Readonly<Record<string, ecs.Secret>>;
  readonly environment: Readonly<Record<string, string>>;
  /** Local wall-clock time in `timeZone`; EventBridge Scheduler handles daylight-saving shifts. */
  readonly runAt: TimeOfDay;
  readonly timeZone: string;
  readonly description: string;
};

/**
 * One Fargate task started once a day by EventBridge Scheduler, logging through `awslogs` into its own log group
 * with a retention. Its task role starts empty: grant it only what the command needs.
 */
export class ScheduledTask extends Construct {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly taskRole: iam.IRole;
  readonly logGroup: logs.LogGroup;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: ScheduledTaskProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: props.logGroupName,
      retention: props.logRetention,
    });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: props.cpu,
      memoryLimitMiB: props.memoryLimitMiB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    this.taskRole = this.taskDefinition.taskRole;
    this.taskDefinition.addContainer('app', {
      image: props.image,
      ...(props.command ? { command: [...props.command] } : {}),
      user: 'node',
      essential: true,
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: props.streamPrefix }),
      secrets: { ...props.secrets },
      environment: { ...props.environment },
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: props.description,
      schedule: scheduler.ScheduleExpression.cron({
        minute: String(props.runAt.minute),
        hour: String(props.runAt.hour),
        timeZone: TimeZone.of(props.timeZone),
      }),
      timeWindow: scheduler.TimeWindow.off(),
      target: new targets.EcsRunFargateTask(props.cluster, {
        taskDefinition: this.taskDefinition,
        vpcSubnets: props.subnets,
        securityGroups: [props.securityGroup],
        assignPublicIp: true,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
      }),
    });
  }
}
