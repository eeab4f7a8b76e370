import { readFileSync } from 'node:fs';
import { App, type IStackSynthesizer } from 'aws-cdk-lib';
import { GpuDashboardStack } from '../lib/gpu-dashboard-stack.js';
import { type DeploymentSettings, parseSettings } from '../lib/settings.js';

/** The committed settings.json as plain JSON, for tests that change one field and validate again. */
export function readSettingsJson(): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL('../settings.json', import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}

export function makeSettings(overrides: Record<string, unknown> = {}): DeploymentSettings {
  return parseSettings({ ...readSettingsJson(), ...overrides });
}

export function makeStack(
  settings: DeploymentSettings = makeSettings(),
  synthesizer?: IStackSynthesizer,
): GpuDashboardStack {
  const { stackName, account, region, ...rest } = settings;
  return new GpuDashboardStack(new App(), stackName, {
    env: account === null ? { region } : { account, region },
    ...(synthesizer ? { synthesizer } : {}),
    settings: rest,
  });
}
