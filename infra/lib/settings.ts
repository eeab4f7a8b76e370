import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { checkProgrammeConfig } from './programme-config.js';
import { type DeploymentSettings, type SettingsIssue, settingsSchema } from './settings-schema.js';

export type { SettingsIssue };

export type SettingsResult =
  | { readonly ok: true; readonly value: DeploymentSettings }
  | { readonly ok: false; readonly issues: readonly SettingsIssue[] };

/** The settings are invalid; every problem is listed, each with its dot path. Stops synth. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  readonly code = 'SETTINGS';

  constructor(
    readonly source: string,
    readonly issues: readonly SettingsIssue[],
    options?: { cause?: unknown },
  ) {
    super(
      `${source}: invalid infra settings\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
      options,
    );
  }
}

/** Context key naming another settings file (`-c settingsFile=...`), relative to the working directory. */
const SETTINGS_FILE_CONTEXT = 'settingsFile';
const DEFAULT_SETTINGS_FILE = 'settings.json';

/** Context keys (`cdk synth -c key=value`) that override single settings. */
export const CONTEXT_OVERRIDES = [
  'account',
  'region',
  'timeZone',
  'jobTime',
  'checkTime',
  'imageTag',
  'mainImageTag',
  'checkImageTag',
  'configFile',
] as const;
export type ContextOverride = (typeof CONTEXT_OVERRIDES)[number];
export type ContextOverrides = Partial<Record<ContextOverride, string>>;

/** A top-level settings key, or a key inside a top-level object. */
type Target = readonly [key: string, inner?: string];
const CONTEXT_TARGETS: Record<ContextOverride, readonly Target[]> = {
  account: [['account']],
  region: [['region']],
  timeZone: [['timeZone']],
  jobTime: [['schedules', 'job']],
  checkTime: [['schedules', 'check']],
  imageTag: [
    ['imageTags', 'main'],
    ['imageTags', 'check'],
  ],
  // One image each, e.g. two digests (sha256:…), which differ between the images.
  mainImageTag: [['imageTags', 'main']],
  checkImageTag: [['imageTags', 'check']],
  configFile: [['configFile']],
};

/** Reads a CDK context value, e.g. `(key) => app.node.tryGetContext(key)`. */
export type ContextReader = (key: string) => unknown;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The override keys that are set; a value from cdk.json may be a number, so it is read as text like `-c`. */
export function readContextOverrides(context: ContextReader): ContextOverrides {
  const overrides: ContextOverrides = {};
  for (const key of CONTEXT_OVERRIDES) {
    const value = context(key);
    if (value !== undefined && value !== null) overrides[key] = String(value);
  }
  return overrides;
}

/** Applies the overrides to the file's JSON before validation, so an overridden value is checked like any other. */
export function applyContextOverrides(raw: unknown, overrides: ContextOverrides): unknown {
  if (!isObj(raw)) return raw;
  const out: Obj = { ...raw };
  for (const key of CONTEXT_OVERRIDES) {
    const value = overrides[key];
    if (value === undefined) continue;
    for (const [outer, inner] of CONTEXT_TARGETS[key]) {
      if (inner === undefined) out[outer] = value;
      else out[outer] = { ...(isObj(out[outer]) ? out[outer] : {}), [inner]: value };
    }
  }
  return out;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/** zod names unknown keys on their parent; each is reported at its own path instead. */
function toIssues(error: z.ZodError): SettingsIssue[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown key' }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  );
}

/** Points an issue on an overridden setting at the context key it came from, not only at the file. */
function attributeOverrides(issue: SettingsIssue, overrides: ContextOverrides): SettingsIssue {
  // From the end: a later key (mainImageTag) was applied over an earlier one (imageTag).
  const source = [...CONTEXT_OVERRIDES].reverse().find(
    (key) =>
      overrides[key] !== undefined &&
      CONTEXT_TARGETS[key].some((target) => {
        const path = target.join('.');
        return issue.path === path || issue.path.startsWith(`${path}.`);
      }),
  );
  return source ? { ...issue, message: `${issue.message} (from context "${source}")` } : issue;
}

/** Pure validation of the settings file's JSON with the context overrides applied. */
export function validateSettings(raw: unknown, overrides: ContextOverrides = {}): SettingsResult {
  const parsed = settingsSchema.safeParse(applyContextOverrides(raw, overrides), {
    error: (issue) => (issue.input === undefined ? 'is required' : undefined),
  });
  if (parsed.success) return { ok: true, value: deepFreeze(parsed.data) };
  return { ok: false, issues: toIssues(parsed.error).map((i) => attributeOverrides(i, overrides)) };
}

/** Like validateSettings, but throws one SettingsError listing every issue. */
export function parseSettings(
  raw: unknown,
  overrides: ContextOverrides = {},
  source = DEFAULT_SETTINGS_FILE,
): DeploymentSettings {
  const result = validateSettings(raw, overrides);
  if (!result.ok) throw new SettingsError(source, result.issues);
  return result.value;
}

/**
 * Reads the settings file named by the context (default settings.json), validates it with the context overrides,
 * and checks that the config.yaml to deploy (`configFile`) agrees with it.
 */
export function loadSettings(context: ContextReader): DeploymentSettings {
  const file = resolve(String(context(SETTINGS_FILE_CONTEXT) ?? DEFAULT_SETTINGS_FILE));
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new SettingsError(file, [{ path: '(file)', message: `cannot read the file (${code})` }], {
      cause: error,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SettingsError(file, [{ path: '(file)', message: `not JSON: ${(error as Error).message}` }], {
      cause: error,
    });
  }
  const settings = parseSettings(raw, readContextOverrides(context), file);
  const disagreements = checkProgrammeConfig(settings);
  if (disagreements.length > 0) throw new SettingsError(file, disagreements);
  return settings;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
