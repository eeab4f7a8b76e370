// The CDK app: the only place that reads the settings (the file and `-c` context, via loadSettings) and the environment.
import { App } from 'aws-cdk-lib';
import { loadSettings } from '../lib/settings.js';
import { addGpuDashboardStacks } from '../lib/stacks.js';

const app = new App();
addGpuDashboardStacks(
  app,
  loadSettings((key) => app.node.tryGetContext(key)),
);
