import { RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';

export type ImageRepositoryProps = {
  readonly repositoryName: string;
  /** How many images to keep; older ones are expired by a lifecycle rule. */
  readonly keepImages?: number;
};

/**
 * An ECR repository for one of the two images: scanned on push, bounded in size, kept when the stack goes.
 * Tags are immutable, so a tag in a task definition always names the image that was tested and pushed.
 */
export class ImageRepository extends Construct {
  readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props: ImageRepositoryProps) {
    super(scope, id);
    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: props.repositoryName,
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      lifecycleRules: [{ description: 'keep the newest images', maxImageCount: props.keepImages ?? 20 }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
