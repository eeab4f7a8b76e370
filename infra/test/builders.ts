import { readFileSync } from 'node:fs';
import { App, type IStackSynthesizer } from 'aws-cdk-lib';
import type { GpuDashboardStack } from '../lib/gpu-dashboard-stack.js';
import { parseSettings } from '../lib/settings.js';
import type { DeploymentSettings } from '../lib/settings-schema.js';
import { addGpuDashboardStacks, type GpuDashboardStacks } from '../lib/stacks.js';

/** The tag the tests deploy: the committed settings.json has none (a deploy must name one). */
export const TEST_IMAGE_TAG = 'test-0123abc';

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

/** The committed settings with TEST_IMAGE_TAG for both images, unless the overrides set imageTags. */
export function makeSettings(overrides: Record<string, unknown> = {}): DeploymentSettings {
  return parseSettings(
    settingsJsonWith({ imageTags: { main: TEST_IMAGE_TAG, check: TEST_IMAGE_TAG }, ...overrides }),
  );
}

/** Both stacks in one app, as bin/app.ts builds them; a synthesizer factory gives each stack its own. */
export function makeStacks(
  settings: DeploymentSettings = makeSettings(),
  synthesizer?: () => IStackSynthesizer,
): GpuDashboardStacks {
  return addGpuDashboardStacks(new App(), settings, synthesizer);
}

/** The tasks stack. */
export function makeStack(settings: DeploymentSettings = makeSettings()): GpuDashboardStack {
  return makeStacks(settings).tasks;
}
