// The CDK app: the only place that reads settings (the settings file and `-c` context) and the environment.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { GpuDashboardStack } from '../lib/gpu-dashboard-stack.js';
import {
  applyContextOverrides,
  CONTEXT_OVERRIDES,
  type ContextOverrides,
  parseSettings,
} from '../lib/settings.js';

const app = new App();

const settingsFile = resolve(String(app.node.tryGetContext('settingsFile') ?? 'settings.json'));
const overrides: ContextOverrides = {};
for (const key of CONTEXT_OVERRIDES) {
  const value: unknown = app.node.tryGetContext(key);
  if (value !== undefined && value !== null) overrides[key] = String(value);
}
const { stackName, account, region, ...settings } = parseSettings(
  applyContextOverrides(JSON.parse(readFileSync(settingsFile, 'utf8')), overrides),
);

new GpuDashboardStack(app, stackName, {
  env: account === null ? { region } : { account, region },
  description: 'gpu-dashboard: nightly W&B GPU-usage ETL and morning health check on ECS Fargate',
  settings,
});
