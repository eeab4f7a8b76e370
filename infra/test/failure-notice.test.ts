import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { completionAlarmHours } from '../lib/constructs/failure-notice.js';
import { parseTimeOfDay } from '../lib/settings-schema.js';
import { makeSettings, makeStack } from './builders.js';

type Resource = { Type: string; Properties?: Record<string, unknown> };

const template = Template.fromStack(makeStack());
const resources = template.toJSON().Resources as Record<string, Resource>;
const idsOf = (type: string, props?: Record<string, unknown>) =>
  Object.keys(template.findResources(type, props ? { Properties: Match.objectLike(props) } : {}));
const only = (ids: string[]): string => {
  expect(ids).toHaveLength(1);
  return ids[0] as string;
};

const topic = only(idsOf('AWS::SNS::Topic'));
const cluster = only(idsOf('AWS::ECS::Cluster'));
const alarm = only(idsOf('AWS::CloudWatch::Alarm'));
const jobLogs = only(idsOf('AWS::Logs::LogGroup', { LogGroupName: '/ecs/gpu-dashboard' }));
const taskRule = only(
  idsOf('AWS::Events::Rule', { EventPattern: Match.objectLike({ source: ['aws.ecs'] }) }),
);
const family = (prefix: 'Job' | 'Check') =>
  (
    Object.entries(template.findResources('AWS::ECS::TaskDefinition')).find(([id]) =>
      id.startsWith(prefix),
    )?.[1] as Resource | undefined
  )?.Properties?.Family as string;

const time = (text: string) => parseTimeOfDay(text) ?? { hour: Number.NaN, minute: Number.NaN };

describe('task failures (EventBridge rule)', () => {
  it('matches a stopped job or check task of this cluster with a non-zero or missing exit code', () => {
    const familyArnPrefix = (name: string) => ({
      prefix: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':ecs:ap-northeast-1:',
            { Ref: 'AWS::AccountId' },
            `:task-definition/${name}:`,
          ],
        ],
      },
    });
    expect(resources[taskRule]?.Properties?.EventPattern).toEqual({
      source: ['aws.ecs'],
      'detail-type': ['ECS Task State Change'],
      detail: {
        clusterArn: [{ 'Fn::GetAtt': [cluster, 'Arn'] }],
        lastStatus: ['STOPPED'],
        taskDefinitionArn: [familyArnPrefix(family('Job')), familyArnPrefix(family('Check'))],
        $or: [
          { containers: { exitCode: [{ 'anything-but': 0 }] } },
          { containers: { exitCode: [{ exists: false }] } },
        ],
      },
    });
    expect(family('Job')).toMatch(/^GpuDashboardJob/);
  });

  it('sends the topic a readable message: task, exit code, stopped reason', () => {
    const targets = resources[taskRule]?.Properties?.Targets as Record<string, unknown>[];
    const toTopic = targets.find((t) => JSON.stringify(t.Arn) === JSON.stringify({ Ref: topic }));
    const transformer = toTopic?.InputTransformer as {
      InputPathsMap: Record<string, string>;
      InputTemplate: string;
    };
    expect(Object.values(transformer.InputPathsMap).sort()).toEqual(
      [
        '$.detail.containers[0].exitCode',
        '$.detail.containers[0].reason',
        '$.detail.group',
        '$.detail.stoppedReason',
        '$.detail.taskArn',
      ].sort(),
    );
    const byPath = Object.fromEntries(
      Object.entries(transformer.InputPathsMap).map(([k, v]) => [v, `<${k}>`]),
    );
    expect(transformer.InputTemplate).toBe(
      JSON.stringify(
        `gpu-dashboard: ECS task ${byPath['$.detail.group']} stopped, exit code ` +
          `${byPath['$.detail.containers[0].exitCode']}: ${byPath['$.detail.stoppedReason']} ` +
          `${byPath['$.detail.containers[0].reason']} (task ${byPath['$.detail.taskArn']})`,
      ),
    );
  });
});

describe('a night without pipeline.completed (metric filter + alarm)', () => {
  it('counts the job log lines whose event is pipeline.completed', () => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: jobLogs },
      FilterPattern: '{ $.event = "pipeline.completed" }',
      MetricTransformations: [
        {
          MetricNamespace: 'GpuDashboard/GpuDashboard',
          MetricName: 'PipelineCompleted',
          MetricValue: '1',
          Unit: 'Count',
        },
      ],
    });
    template.resourceCountIs('AWS::Logs::MetricFilter', 1);
  });

  it('alarms to the topic after 31 hourly periods without one (job 00:15, check 09:00), missing data breaching', () => {
    expect(resources[alarm]?.Properties).toEqual({
      AlarmName: 'GpuDashboard-job-not-completed',
      AlarmDescription: expect.stringContaining('for 31 hours'),
      Namespace: 'GpuDashboard/GpuDashboard',
      MetricName: 'PipelineCompleted',
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: 31,
      DatapointsToAlarm: 31,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: topic }],
    });
  });

  it('follows the schedules', () => {
    const t = Template.fromStack(makeStack(makeSettings({ schedules: { job: '22:00', check: '07:30' } })));
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { EvaluationPeriods: 32, DatapointsToAlarm: 32 });
  });
});

describe('completionAlarmHours', () => {
  it.each([
    ['00:15', '09:00', 31],
    ['22:00', '07:30', 32],
    ['01:00', '03:00', 25],
    ['00:15', '01:00', 25],
    ['09:00', '08:00', 46],
  ])('job %s, check %s: %i hours', (job, check, hours) => {
    expect(completionAlarmHours(time(job), time(check))).toBe(hours);
  });
});

describe('the topic', () => {
  it('lets only the task rule (EventBridge) and the alarm (CloudWatch) publish', () => {
    const policy = only(idsOf('AWS::SNS::TopicPolicy'));
    expect(resources[policy]?.Properties).toEqual({
      Topics: [{ Ref: topic }],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'TaskFailedRule',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: topic },
            Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [taskRule, 'Arn'] } } },
          },
          {
            Sid: 'JobNotCompletedAlarm',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: topic },
            Condition: {
              ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [alarm, 'Arn'] } },
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            },
          },
        ],
      },
    });
  });

  it('has no email subscription unless notifications.email is set', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    const t = Template.fromStack(
      makeStack(makeSettings({ notifications: { email: 'ops@example.com', slackWebhookSecretName: null } })),
    );
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });
});

describe('Slack through an API destination', () => {
  it('posts to the webhook URL resolved from the secret at deploy time, through a connection, with no Lambda', () => {
    template.resourceCountIs('AWS::Lambda::Function', 0);
    const connection = only(idsOf('AWS::Events::Connection'));
    const destination = only(idsOf('AWS::Events::ApiDestination'));
    expect(resources[destination]?.Properties).toMatchObject({
      ConnectionArn: { 'Fn::GetAtt': [connection, 'Arn'] },
      HttpMethod: 'POST',
      InvocationEndpoint: '{{resolve:secretsmanager:gpu-dashboard/slack-webhook-url:SecretString:::}}',
      InvocationRateLimitPerSecond: 1,
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('hooks.slack.com');
  });

  it('is a second target of the task rule, and the target of a rule on the alarm going into ALARM', () => {
    const destinationArn = { 'Fn::GetAtt': [only(idsOf('AWS::Events::ApiDestination')), 'Arn'] };
    const targets = resources[taskRule]?.Properties?.Targets as Record<string, unknown>[];
    expect(targets.map((t) => t.Arn)).toEqual([{ Ref: topic }, destinationArn]);
    const alarmRule = only(
      idsOf('AWS::Events::Rule', { EventPattern: Match.objectLike({ source: ['aws.cloudwatch'] }) }),
    );
    expect(resources[alarmRule]?.Properties?.EventPattern).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      resources: [{ 'Fn::GetAtt': [alarm, 'Arn'] }],
      detail: { state: { value: ['ALARM'] } },
    });
    expect(
      (resources[alarmRule]?.Properties?.Targets as Record<string, unknown>[]).map((t) => t.Arn),
    ).toEqual([destinationArn]);
  });

  it('sends Slack a JSON body with a text field', () => {
    const targets = resources[taskRule]?.Properties?.Targets as Record<string, unknown>[];
    const template_ = (targets[1]?.InputTransformer as { InputTemplate: string }).InputTemplate;
    expect(template_).toMatch(/^\{"text":"gpu-dashboard: ECS task <[^>]+> stopped, exit code <[^>]+>: /);
  });

  it('is left out when notifications.slackWebhookSecretName is null', () => {
    const t = Template.fromStack(
      makeStack(makeSettings({ notifications: { email: null, slackWebhookSecretName: null } })),
    );
    t.resourceCountIs('AWS::Events::Connection', 0);
    t.resourceCountIs('AWS::Events::ApiDestination', 0);
    t.resourceCountIs('AWS::Events::Rule', 1);
  });
});
