import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { DeploymentSettings, SettingsIssue } from './settings-schema.js';

/** infra/, which a relative `configFile` is resolved against (not the working directory). */
export const INFRA_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The keys of the programme's config.yaml that must agree with the infra settings, defaults applied. */
export type ProgrammeConfigKeys = {
  readonly timezone: ConfigValue;
  readonly logGroup: ConfigValue;
  /** null: not set, so the checker uses the task's AWS_REGION, which is the stack's region. */
  readonly region: ConfigValue | null;
};
type ConfigValue = { readonly value: string; readonly isDefault: boolean };

// The product's defaults, from src/product/config/schema.ts (infra does not import the product's schema, whose
// dependencies live in the root package).
const DEFAULT_TIMEZONE = 'Asia/Tokyo';
const DEFAULT_LOG_GROUP = '/ecs/gpu-dashboard';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export type ConfigKeysResult =
  | { readonly ok: true; readonly value: ProgrammeConfigKeys }
  | { readonly ok: false; readonly issues: readonly SettingsIssue[] };

/** Pure: the three keys from the parsed YAML; a wrong type is an issue (the product would reject it too). */
export function readConfigKeys(raw: unknown, file: string): ConfigKeysResult {
  const issues: SettingsIssue[] = [];
  const pick = (parent: unknown, key: string, label: string): ConfigValue | null => {
    const value = isObj(parent) ? parent[key] : undefined;
    if (value === undefined || value === null) return null;
    if (typeof value === 'string' && value.trim() !== '') return { value: value.trim(), isDefault: false };
    issues.push({ path: 'configFile', message: `${label} in ${file}: expected a non-empty string` });
    return null;
  };
  if (!isObj(raw)) {
    return { ok: false, issues: [{ path: 'configFile', message: `${file}: expected a YAML mapping` }] };
  }
  if (raw.cloudwatch !== undefined && raw.cloudwatch !== null && !isObj(raw.cloudwatch)) {
    issues.push({ path: 'configFile', message: `cloudwatch in ${file}: expected a mapping` });
  }
  const timezone = pick(raw, 'timezone', 'timezone') ?? { value: DEFAULT_TIMEZONE, isDefault: true };
  const logGroup = pick(raw.cloudwatch, 'log_group', 'cloudwatch.log_group') ?? {
    value: DEFAULT_LOG_GROUP,
    isDefault: true,
  };
  const region = pick(raw.cloudwatch, 'region', 'cloudwatch.region');
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { timezone, logGroup, region } };
}

type AgreementSettings = Pick<DeploymentSettings, 'timeZone' | 'region' | 'logGroups'>;

/** Pure: one issue per pair that differs, naming the settings key (its path) and the config key. */
export function configDisagreements(
  settings: AgreementSettings,
  keys: ProgrammeConfigKeys,
  file: string,
): SettingsIssue[] {
  const pairs: [settingsKey: string, settingsValue: string, configKey: string, config: ConfigValue | null][] =
    [
      ['timeZone', settings.timeZone, 'timezone', keys.timezone],
      ['logGroups.job', settings.logGroups.job, 'cloudwatch.log_group', keys.logGroup],
      ['region', settings.region, 'cloudwatch.region', keys.region],
    ];
  return pairs.flatMap(([settingsKey, settingsValue, configKey, config]) =>
    config === null || config.value === settingsValue
      ? []
      : [
          {
            path: settingsKey,
            message:
              `"${settingsValue}" but ${configKey} in ${file} is "${config.value}"` +
              `${config.isDefault ? ' (its default)' : ''}: settings ${settingsKey} and config ${configKey} must agree`,
          },
        ],
  );
}

/** Reads `settings.configFile` (relative to infra/) and lists what disagrees with the settings, or why it can't. */
export function checkProgrammeConfig(
  settings: AgreementSettings & Pick<DeploymentSettings, 'configFile'>,
  infraDir: string = INFRA_DIR,
): SettingsIssue[] {
  const file = resolve(infraDir, settings.configFile);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return [{ path: 'configFile', message: `${file}: cannot read it (${code})` }];
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    return [{ path: 'configFile', message: `${file}: not YAML: ${(error as Error).message.split('\n')[0]}` }];
  }
  const keys = readConfigKeys(raw, file);
  return keys.ok ? configDisagreements(settings, keys.value, file) : [...keys.issues];
}
