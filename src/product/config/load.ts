import { type Document, LineCounter, parseDocument, visit, type YAMLError } from 'yaml';
import type { z } from 'zod';
import { AppError } from '../shared/errors.js';
import { decodeConfigText, type ReadBytes, readConfigFile, tooLargeMessage } from './config-bytes.js';
import { crossCheckConfig } from './cross-checks.js';
import { configSchema, WEEKDAY_NAMES } from './schema.js';
import type { Config, ConfigIssue } from './types.js';

/** config.yaml is invalid; every problem is listed, each with its path. Exit 2. */
export class ConfigError extends AppError {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG';
  override readonly exitCode = 2;

  constructor(
    readonly source: string,
    readonly issues: readonly ConfigIssue[],
    options?: { cause?: unknown },
  ) {
    super(
      `${source}: invalid configuration\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
      options,
    );
  }
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ConfigIssue[] };

/** Formats a zod path the way docs/behaviour.md §2 names fields: companies[3].schedule[1].date. */
function formatPath(path: readonly PropertyKey[]): string {
  const text = path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, '');
  return text || '(root)';
}

function toIssues(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: describe(issue) }));
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}

/** Pure validation of an already-parsed YAML value. */
export function validateConfig(raw: unknown): ValidationResult<Config> {
  const parsed = configSchema.safeParse(raw, {
    error: (issue) => (issue.input === undefined ? 'is required' : undefined),
  });
  const issues = [...(parsed.success ? [] : toIssues(parsed.error)), ...crossCheckConfig(raw)];
  if (!parsed.success || issues.length > 0) return { ok: false, issues };
  const value = parsed.data;
  const config = {
    ...value,
    weekStartIndex: WEEKDAY_NAMES.indexOf(value.week_starts_on),
  } as unknown as Config;
  return { ok: true, value: deepFreeze(config) };
}

/**
 * How far aliases may expand (the yaml package's measure: uses of an anchor times the aliases
 * inside it). A real config uses a few; nested aliases that each repeat the previous one (a
 * "billion laughs" file) grow exponentially and would exhaust memory.
 */
const MAX_ALIAS_COUNT = 100;

/** Parses YAML text and validates it; YAML syntax errors are reported at their line:column. */
export function parseConfigText(text: string, source: string): Config {
  const lineCounter = new LineCounter();
  // logLevel: the yaml package would otherwise print its warnings itself, outside the log format.
  const doc = parseDocument(text, { prettyErrors: false, lineCounter, logLevel: 'silent' });
  // A warning is a value the package could not read as written, kept as some other value: a tag it
  // does not know (`!custom 3` becomes the string "3"), so it is an error here (docs/behaviour.md §2).
  const problems: readonly YAMLError[] = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    throw new ConfigError(
      source,
      problems.map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        return { path: `line ${line}:${col}`, message: e.message.split('\n')[0] ?? e.message };
      }),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // The yaml package resolves aliases only here, and throws a ReferenceError for a bad one.
    if (!(error instanceof ReferenceError)) throw error;
    throw new ConfigError(source, [aliasIssue(doc, lineCounter, error)], { cause: error });
  }
  const result = validateConfig(raw);
  if (!result.ok) throw new ConfigError(source, result.issues);
  return result.value;
}

/** An alias that names no earlier anchor (at its line:column), or aliases that expand too far. */
function aliasIssue(doc: Document, lineCounter: LineCounter, error: ReferenceError): ConfigIssue {
  let unresolved: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      unresolved = node.range?.[0];
      return visit.BREAK;
    },
  });
  if (unresolved === undefined) {
    return {
      path: '(root)',
      message: `aliases expand past the limit of ${MAX_ALIAS_COUNT} (nested aliases that repeat each other grow exponentially)`,
    };
  }
  const { line, col } = lineCounter.linePos(unresolved);
  return { path: `line ${line}:${col}`, message: error.message };
}

/**
 * The text of a config read from `source` (`what`: "the file", "the S3 object"); one past
 * MAX_CONFIG_BYTES, or not UTF-8, is a ConfigError naming what to do.
 */
export function configTextOf(
  read: ReadBytes,
  source: string,
  what: string,
): { readonly bytes: Uint8Array; readonly text: string } {
  if (!read.ok) throw new ConfigError(source, [{ path: '(file)', message: tooLargeMessage(what) }]);
  const decoded = decodeConfigText(read.bytes);
  if (!decoded.ok) throw new ConfigError(source, [{ path: '(file)', message: decoded.message }]);
  return { bytes: read.bytes, text: decoded.text };
}

export async function loadConfig(path: string): Promise<Config> {
  let read: ReadBytes;
  try {
    read = await readConfigFile(path);
  } catch (error) {
    throw new ConfigError(
      path,
      [
        {
          path: '(file)',
          message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        },
      ],
      { cause: error },
    );
  }
  return parseConfigText(configTextOf(read, path, 'the file').text, path);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
