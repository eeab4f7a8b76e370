import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { NetworkSettings } from '../settings-schema.js';

export type PublicTaskNetworkProps = { readonly network: NetworkSettings };

/**
 * Where the Fargate tasks run without a NAT gateway: public subnets, a public IP per task, and a security group
 * with no ingress (the tasks only call out: W&B, ECR, Secrets Manager, CloudWatch Logs, Slack).
 * An existing VPC is imported from its attributes, so synth never looks anything up in the account.
 */
export class PublicTaskNetwork extends Construct {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PUBLIC };
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: PublicTaskNetworkProps) {
    super(scope, id);
    const { network } = props;
    this.vpc =
      network.kind === 'new-vpc'
        ? new ec2.Vpc(this, 'Vpc', {
            ipAddresses: ec2.IpAddresses.cidr(network.cidr),
            maxAzs: 2,
            natGateways: 0,
            subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 26 }],
            // false: the "true" variant adds a Lambda-backed custom resource, i.e. an asset and a bootstrap.
            restrictDefaultSecurityGroup: false,
          })
        : ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
            vpcId: network.vpcId,
            availabilityZones: [...network.availabilityZones],
            publicSubnetIds: [...network.publicSubnetIds],
          });
    this.securityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: this.vpc,
      description: 'gpu-dashboard tasks: outbound HTTPS only, no ingress',
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to W&B, Slack and AWS APIs',
    );
  }
}
