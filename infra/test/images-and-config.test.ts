import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { IMAGE_TAG_REQUIRED } from '../lib/settings-schema.js';
import { makeSettings, makeStacks, TEST_IMAGE_TAG } from './builders.js';

type Resource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string };
type ContainerDefinition = { Image?: unknown; Environment?: { Name: string; Value: unknown }[] };

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

function containers(template: Template): ContainerDefinition[] {
  return Object.values(template.findResources('AWS::ECS::TaskDefinition')).flatMap(
    (r) => ((r as Resource).Properties?.ContainerDefinitions ?? []) as ContainerDefinition[],
  );
}

/** The image URIs with the account and partition tokens written as `ACCOUNT` and `URL_SUFFIX`. */
function imagesOf(template: Template): string[] {
  return containers(template)
    .map((c) =>
      (c.Image as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
        .map((part) =>
          typeof part === 'string'
            ? part
            : JSON.stringify(part) === '{"Ref":"AWS::AccountId"}'
              ? 'ACCOUNT'
              : JSON.stringify(part) === '{"Ref":"AWS::URLSuffix"}'
                ? 'URL_SUFFIX'
                : JSON.stringify(part),
        )
        .join(''),
    )
    .sort();
}

describe('images', () => {
  it('runs each image by the tag given, from the repositories named in the settings', () => {
    const t = Template.fromStack(makeStacks().tasks);
    expect(imagesOf(t)).toEqual([
      `ACCOUNT.dkr.ecr.ap-northeast-1.URL_SUFFIX/gpu-dashboard/check:${TEST_IMAGE_TAG}`,
      `ACCOUNT.dkr.ecr.ap-northeast-1.URL_SUFFIX/gpu-dashboard/main:${TEST_IMAGE_TAG}`,
    ]);
  });

  it('runs an image given by digest as repo@sha256:…, and tells it its digest', () => {
    const t = Template.fromStack(
      makeStacks(makeSettings({ imageTags: { main: DIGEST, check: 'v2' } })).tasks,
    );
    expect(imagesOf(t)).toEqual([
      'ACCOUNT.dkr.ecr.ap-northeast-1.URL_SUFFIX/gpu-dashboard/check:v2',
      `ACCOUNT.dkr.ecr.ap-northeast-1.URL_SUFFIX/gpu-dashboard/main@${DIGEST}`,
    ]);
    const digests = containers(t).map((c) =>
      c.Environment?.find((e) => e.Name === 'GPU_DASHBOARD_IMAGE_DIGEST'),
    );
    expect(digests.filter(Boolean)).toEqual([{ Name: 'GPU_DASHBOARD_IMAGE_DIGEST', Value: DIGEST }]);
  });

  it('refuses the tasks stack, naming each unset setting, but not the repositories stack', () => {
    const { repositories, tasks } = makeStacks(makeSettings({ imageTags: { main: null, check: 'v2' } }));
    const errors = Annotations.fromStack(tasks).findError('*', Match.anyValue());
    expect(errors.map((e) => e.entry.data)).toEqual([`imageTags.main: ${IMAGE_TAG_REQUIRED}`]);
    expect(Annotations.fromStack(repositories).findError('*', Match.anyValue())).toEqual([]);
  });

  it('has no error when both tags are set', () => {
    expect(Annotations.fromStack(makeStacks().tasks).findError('*', Match.anyValue())).toEqual([]);
  });
});

describe('repositories stack', () => {
  const { repositories } = makeStacks();
  const template = Template.fromStack(repositories);
  const resources = template.toJSON().Resources as Record<string, Resource>;

  it('creates both image repositories with immutable tags, scanned, bounded and kept', () => {
    for (const name of ['gpu-dashboard/main', 'gpu-dashboard/check']) {
      template.hasResource('AWS::ECR::Repository', {
        Properties: Match.objectLike({
          RepositoryName: name,
          ImageTagMutability: 'IMMUTABLE',
          ImageScanningConfiguration: { ScanOnPush: true },
          LifecyclePolicy: Match.anyValue(),
        }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    }
    template.resourceCountIs('AWS::ECR::Repository', 2);
  });

  it('creates a versioned, encrypted, private config bucket that is kept on delete', () => {
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('denies every request to the bucket that does not use TLS', () => {
    const [policy] = Object.values(template.findResources('AWS::S3::BucketPolicy')) as Resource[];
    expect(policy?.Properties?.PolicyDocument).toMatchObject({
      Statement: [
        {
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
  });

  it('needs no custom resource, Lambda or asset', () => {
    expect(
      Object.values(resources)
        .map((r) => r.Type)
        .sort(),
    ).toEqual(['AWS::ECR::Repository', 'AWS::ECR::Repository', 'AWS::S3::Bucket', 'AWS::S3::BucketPolicy']);
  });

  it('outputs where release.sh pushes the images and uploads the config', () => {
    expect(Object.keys(template.toJSON().Outputs as Record<string, unknown>).sort()).toEqual(
      expect.arrayContaining([
        'CheckRepositoryUri',
        'ConfigBucketName',
        'ConfigObjectUri',
        'MainRepositoryUri',
      ]),
    );
  });
});

describe('config from S3', () => {
  const configUri = (key: string) => ({
    'Fn::Join': ['', ['s3://', { 'Fn::ImportValue': Match.stringLikeRegexp('ConfigBucket') }, `/${key}`]],
  });

  it('points both containers at s3://<bucket>/<key> through GPU_DASHBOARD_CONFIG', () => {
    const t = Template.fromStack(makeStacks().tasks);
    const envs = containers(t).map((c) => c.Environment?.find((e) => e.Name === 'GPU_DASHBOARD_CONFIG'));
    expect(envs).toHaveLength(2);
    for (const env of envs) {
      expect(Match.objectLike({ Value: configUri('config.yaml') }).test(env).isSuccess).toBe(true);
    }
  });

  it('follows config.key', () => {
    const t = Template.fromStack(makeStacks(makeSettings({ config: { key: 'prod/gpu.yaml' } })).tasks);
    for (const c of containers(t)) {
      const env = c.Environment?.find((e) => e.Name === 'GPU_DASHBOARD_CONFIG');
      expect(Match.objectLike({ Value: configUri('prod/gpu.yaml') }).test(env).isSuccess).toBe(true);
    }
  });
});
