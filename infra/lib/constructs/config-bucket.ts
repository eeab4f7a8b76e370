import { RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export type ConfigBucketProps = {
  /** The programme config's object key, e.g. `config.yaml`. */
  readonly key: string;
};

/**
 * Where the programme's config.yaml lives, so that a config change needs an upload, not an image build.
 * Versioned (every upload can be restored), private, TLS only, and kept when the stack is deleted.
 */
export class ConfigBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly key: string;

  constructor(scope: Construct, id: string, props: ConfigBucketProps) {
    super(scope, id);
    this.key = props.key;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      versioned: true,
      // S3-managed keys: readers need no kms:Decrypt grant.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** `s3://bucket/key`, what GPU_DASHBOARD_CONFIG is set to. */
  get objectUri(): string {
    return this.bucket.s3UrlForObject(this.key);
  }

  /** The one object the tasks may read. */
  get objectArn(): string {
    return this.bucket.arnForObjects(this.key);
  }
}
