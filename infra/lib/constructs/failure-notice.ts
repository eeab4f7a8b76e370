import { ArnFormat, Duration, SecretValue, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { LOG_EVENTS } from '../../../src/product/shared/names.js';
import type { TimeOfDay } from '../settings-schema.js';

export type FailureNoticeProps = {
  readonly cluster: ecs.ICluster;
  /** Task definition families whose failed stops are reported: the job's and the checker's. */
  readonly families: readonly string[];
  readonly jobLogGroup: logs.ILogGroup;
  /** Consecutive hours without `pipeline.completed` that raise the alarm (completionAlarmHours). */
  readonly hoursWithoutCompletion: number;
  readonly email: string | null;
  /** A Secrets Manager secret holding a Slack incoming-webhook URL; null: no Slack. */
  readonly slackWebhookSecretName: string | null;
};

const MINUTES_PER_DAY = 24 * 60;

/**
 * How many hourly periods without `pipeline.completed` mean "last night's job did not finish", so that the alarm
 * fires before the check: a day, plus the hours from the job's start to the check less one for the run itself.
 * A single one-day period does not work: a rolling 24 h window flaps whenever a run ends a little later than the
 * night before, and a window aligned to midnight would report the night only a day later.
 */
export function completionAlarmHours(job: TimeOfDay, check: TimeOfDay): number {
  const gap =
    ((((check.hour - job.hour) * 60 + check.minute - job.minute) % MINUTES_PER_DAY) + MINUTES_PER_DAY) %
    MINUTES_PER_DAY;
  return 24 + Math.max(1, Math.floor(gap / 60) - 1);
}

/**
 * Tells people that the nightly job failed without waiting for the morning check: an SNS topic (optional email
 * subscription) fed by (a) an EventBridge rule on a job or check task that stops with a non-zero exit code or
 * without starting, and (b) an alarm on a night without `pipeline.completed` in the job's log group. With a Slack
 * secret, both also post to Slack through an EventBridge API destination (no Lambda).
 */
export class FailureNotice extends Construct {
  readonly topic: sns.Topic;
  readonly taskFailedRule: events.Rule;
  readonly completionAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: FailureNoticeProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'gpu-dashboard' });
    if (props.email !== null) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));

    const familyPrefix = (family: string) => ({
      prefix: stack.formatArn({
        service: 'ecs',
        resource: 'task-definition',
        resourceName: `${family}:`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
    });
    this.taskFailedRule = new events.Rule(this, 'TaskFailed', {
      description:
        'gpu-dashboard: a job or check task stopped with a non-zero exit code, or without starting',
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: {
          clusterArn: [props.cluster.clusterArn],
          lastStatus: ['STOPPED'],
          taskDefinitionArn: props.families.map(familyPrefix),
          // A container that never ran (image pull, ENI or secret failure) has no exit code at all.
          $or: [
            { containers: { exitCode: [{ 'anything-but': 0 }] } },
            { containers: { exitCode: [{ exists: false }] } },
          ],
        },
      },
    });
    const field = events.EventField.fromPath;
    const taskMessage =
      `gpu-dashboard: ECS task ${field('$.detail.group')} stopped, exit code ` +
      `${field('$.detail.containers[0].exitCode')}: ${field('$.detail.stoppedReason')} ` +
      `${field('$.detail.containers[0].reason')} (task ${field('$.detail.taskArn')})`;
    this.taskFailedRule.addTarget(topicTarget(this.topic, events.RuleTargetInput.fromText(taskMessage)));

    const completed = new logs.MetricFilter(this, 'PipelineCompleted', {
      logGroup: props.jobLogGroup,
      filterPattern: logs.FilterPattern.stringValue('$.event', '=', LOG_EVENTS.completed),
      metricNamespace: `GpuDashboard/${stack.stackName}`,
      metricName: 'PipelineCompleted',
      metricValue: '1',
      unit: cloudwatch.Unit.COUNT,
    });
    const hours = props.hoursWithoutCompletion;
    this.completionAlarm = new cloudwatch.Alarm(this, 'JobNotCompleted', {
      alarmName: `${stack.stackName}-job-not-completed`,
      alarmDescription:
        `No ${LOG_EVENTS.completed} event in the job's log group for ${hours} hours: ` +
        "last night's gpu-dashboard run did not finish (docs/deployment.md, Failure notices)",
      metric: completed.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.hours(1) }),
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      threshold: 1,
      evaluationPeriods: hours,
      datapointsToAlarm: hours,
      // No log line at all is the failure this alarm exists for.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.completionAlarm.addAlarmAction(new cloudwatchActions.SnsAction(this.topic));

    // Written here, with the sources named, instead of the unconditional grant the SnsTopic target would add.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'TaskFailedRule',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { ArnEquals: { 'aws:SourceArn': this.taskFailedRule.ruleArn } },
      }),
    );
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'JobNotCompletedAlarm',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnEquals: { 'aws:SourceArn': this.completionAlarm.alarmArn },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );

    if (props.slackWebhookSecretName !== null) {
      this.addSlack(props.slackWebhookSecretName, taskMessage);
    }
  }

  /** The task rule and the alarm's state change also post to a Slack incoming webhook. */
  private addSlack(secretName: string, taskMessage: string): void {
    // An API destination needs a connection with some authorization; a Slack incoming webhook is authorized by its
    // URL alone, so the connection sends a harmless fixed header.
    const connection = new events.Connection(this, 'SlackConnection', {
      description: 'gpu-dashboard failure notices to Slack (the webhook URL is the credential)',
      authorization: events.Authorization.apiKey(
        'X-Gpu-Dashboard-Source',
        SecretValue.unsafePlainText('eventbridge'),
      ),
    });
    // Resolved by CloudFormation at deploy time, so the URL is in neither the template nor the repository.
    const destination = new events.ApiDestination(this, 'Slack', {
      description: 'Slack incoming webhook for gpu-dashboard failure notices',
      connection,
      endpoint: SecretValue.secretsManager(secretName).unsafeUnwrap(),
      httpMethod: events.HttpMethod.POST,
      rateLimitPerSecond: 1,
    });
    const eventRole = new iam.Role(this, 'SlackInvokeRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: 'EventBridge: post gpu-dashboard failure notices to the Slack API destination',
    });
    const slack = (text: string) =>
      new targets.ApiDestination(destination, {
        event: events.RuleTargetInput.fromObject({ text }),
        eventRole,
      });

    this.taskFailedRule.addTarget(slack(taskMessage));
    const field = events.EventField.fromPath;
    new events.Rule(this, 'JobNotCompletedToSlack', {
      description: 'gpu-dashboard: the job-not-completed alarm went into ALARM',
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: [this.completionAlarm.alarmArn],
        detail: { state: { value: ['ALARM'] } },
      },
    }).addTarget(
      slack(`gpu-dashboard: ${field('$.detail.alarmName')} is in ALARM: ${field('$.detail.state.reason')}`),
    );
  }
}

/** An SNS target that adds no topic policy of its own (the construct writes a narrower one). */
function topicTarget(topic: sns.ITopic, input: events.RuleTargetInput): events.IRuleTarget {
  return { bind: () => ({ arn: topic.topicArn, input, targetResource: topic }) };
}
