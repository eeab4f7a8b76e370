import { RE2JS, RE2JSSyntaxException } from 're2js';
import { InternalError } from '../shared/errors.js';
import { MAX_NAME_REGEX_CHARS, MAX_NAME_REGEX_PROGRAM } from './limits.js';

/**
 * A gpu_count `name_regex`, compiled once per config. It runs on RE2 (re2js), whose matching time is
 * linear in the text whatever the pattern, so `^(a+)+$` cannot stall the tracker on a long run name the
 * way a backtracking RegExp would. RE2 has no lookaround and no backreferences; a pattern using them
 * is refused when the config is validated (docs/behaviour.md §2).
 */
export type NamePattern = {
  /** The first capture group of the leftmost match in `text`, or undefined (no match, group unused). */
  readonly firstGroup: (text: string) => string | undefined;
};

export type CompiledNamePattern = { ok: true; pattern: NamePattern } | { ok: false; message: string };

const RE2_SYNTAX = 'https://github.com/google/re2/wiki/Syntax';

export function compileNamePattern(text: string): CompiledNamePattern {
  if (text.length > MAX_NAME_REGEX_CHARS)
    return { ok: false, message: `longer than ${MAX_NAME_REGEX_CHARS} characters (${text.length})` };
  let re: RE2JS;
  try {
    re = RE2JS.compile(text);
  } catch (error) {
    return { ok: false, message: `invalid regular expression (RE2 syntax, ${RE2_SYNTAX}): ${reason(error)}` };
  }
  // Its first group is the number the rule reads.
  if (re.groupCount() < 1) return { ok: false, message: 'needs a capture group' };
  if (re.programSize() > MAX_NAME_REGEX_PROGRAM)
    return {
      ok: false,
      message: `too costly to match: ${re.programSize()} RE2 instructions, at most ${MAX_NAME_REGEX_PROGRAM} (large repeat counts multiply them)`,
    };
  return {
    ok: true,
    pattern: {
      firstGroup: (input) => {
        const matcher = re.matcher(input);
        return matcher.find() ? (matcher.group(1) ?? undefined) : undefined;
      },
    },
  };
}

/** What RE2 refused, naming the constructs it lacks rather than its parser's wording for them. */
function reason(error: unknown): string {
  if (!(error instanceof RE2JSSyntaxException)) return error instanceof Error ? error.message : String(error);
  const piece = excerpt(error.getPattern() ?? '');
  if (/^\(\?<?[=!]/.test(piece)) return `lookahead and lookbehind are not supported (\`${piece}\`)`;
  if (/^\\([1-9]|k)/.test(piece)) return `backreferences are not supported (\`${piece}\`)`;
  return `${error.getDescription()}${piece ? ` (\`${piece}\`)` : ''}`;
}

/** The parser quotes the rest of the pattern from the bad construct on: its start is enough. */
function excerpt(text: string): string {
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

const EXCERPT_CHARS = 30;

/** Where a validated config keeps the compiled pattern: hidden from keys, spread, JSON and equality. */
const COMPILED = Symbol('compiled name_regex');

type WithPattern = { readonly name_regex: string; readonly [COMPILED]?: NamePattern };

/** Keeps `pattern` on the config entry it was compiled from (before the config is frozen). */
export function attachNamePattern<T extends { name_regex: string }>(source: T, pattern: NamePattern): T {
  Object.defineProperty(source, COMPILED, { value: pattern, enumerable: false });
  return source;
}

/**
 * The pattern compiled when the config was validated; an entry built by hand (tests, the fleet
 * generator) is compiled here, on each call.
 */
export function namePatternOf(source: { readonly name_regex: string }): NamePattern {
  const attached = (source as WithPattern)[COMPILED];
  if (attached !== undefined) return attached;
  const compiled = compileNamePattern(source.name_regex);
  if (!compiled.ok)
    throw new InternalError(`name_regex "${source.name_regex}" was never validated: ${compiled.message}`);
  return compiled.pattern;
}
