import { readFileSync } from 'node:fs';
import { App, type IStackSynthesizer } from 'aws-cdk-lib';
import { GpuDashboardStack } from '../lib/gpu-dashboard-stack.js';
import { parseSettings } from '../lib/settings.js';
import type { DeploymentSettings } from '../lib/settings-schema.js';

/** The committed settings.json as plain JSON, for tests that change one field and validate again. */
export function readSettingsJson(): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL('../settings.json', import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}

/** The committed settings.json with top-level keys replaced; `undefined` drops the key, as if the file lacked it. */
export function settingsJsonWith(overrides: Record<string, unknown>): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...readSettingsJson(), ...overrides };
  for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete raw[key];
  return raw;
}

export function makeSettings(overrides: Record<string, unknown> = {}): DeploymentSettings {
  return parseSettings(settingsJsonWith(overrides));
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
