// The CDK app: the only place that reads the settings (the file and `-c` context, via loadSettings) and the environment.
import { App } from 'aws-cdk-lib';
import { GpuDashboardStack } from '../lib/gpu-dashboard-stack.js';
import { loadSettings } from '../lib/settings.js';

const app = new App();

const { stackName, account, region, ...settings } = loadSettings((key) => app.node.tryGetContext(key));

new GpuDashboardStack(app, stackName, {
  env: account === null ? { region } : { account, region },
  description: 'gpu-dashboard: nightly W&B GPU-usage ETL and morning health check on ECS Fargate',
  settings,
});
