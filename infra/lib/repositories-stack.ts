import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ConfigBucket } from './constructs/config-bucket.js';
import { ImageRepository } from './constructs/image-repository.js';
import type { DeploymentSettings } from './settings-schema.js';

export type RepositoriesStackProps = StackProps & {
  readonly settings: Pick<DeploymentSettings, 'repositoryNames' | 'config'>;
};

/**
 * What must exist before the tasks can: the two image repositories (images are pushed between this stack and the
 * tasks stack) and the config bucket. Needs no image tag, and everything in it is kept when it is deleted.
 */
export class RepositoriesStack extends Stack {
  readonly config: ConfigBucket;

  constructor(scope: Construct, id: string, props: RepositoriesStackProps) {
    super(scope, id, props);
    const s = props.settings;
    const main = new ImageRepository(this, 'MainImages', { repositoryName: s.repositoryNames.main });
    const check = new ImageRepository(this, 'CheckImages', { repositoryName: s.repositoryNames.check });
    this.config = new ConfigBucket(this, 'Config', { key: s.config.key });

    // What scripts/release.sh pushes to and uploads to; see docs/deployment.md.
    const outputs: Record<string, string> = {
      MainRepositoryUri: main.repository.repositoryUri,
      CheckRepositoryUri: check.repository.repositoryUri,
      ConfigBucketName: this.config.bucket.bucketName,
      ConfigObjectUri: this.config.objectUri,
    };
    for (const [name, value] of Object.entries(outputs)) new CfnOutput(this, name, { value });
  }
}
