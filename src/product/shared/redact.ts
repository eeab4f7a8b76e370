const REDACTED = '[redacted]';
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of each secret (the W&B key, a webhook URL) in a text, and the userinfo of
 * every URL in it (redactUrlCredentials): one pass over each line the product writes.
 */
export function createRedactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const list = secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH);
  return (text) => redactUrlCredentials(list.reduce((out, secret) => out.split(secret).join(REDACTED), text));
}

/**
 * The userinfo of a URL (`user:password@`, or a token alone) as written after `scheme://`: up to the last
 * `@` before the host's end (`/ ? #`), where WHATWG's URL parser splits it too; whitespace, `"` and `<>`
 * end it as well, which WHATWG serializes percent-encoded, so a match never runs across JSON fields.
 * The lookbehind keeps the scheme and bounds the work per position (linear in the text).
 */
const URL_USERINFO = /(?<=[a-z][a-z0-9+.-]{0,31}:\/\/)[^\s"<>/?#]*@/gi;

/**
 * `scheme://user:pass@host` becomes `scheme://[redacted]@host` wherever it occurs in `text`, so no URL
 * logged or printed (W&B, S3, Slack, or one inside an error message) shows its credentials.
 */
export function redactUrlCredentials(text: string): string {
  return text.includes('://') ? text.replace(URL_USERINFO, `${REDACTED}@`) : text;
}

/** The value of `--api KEY` or `--api=KEY` in argv, so even argument errors never echo it. */
export function apiKeyFromArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--api') return argv[i + 1];
    if (arg.startsWith('--api=')) return arg.slice('--api='.length);
  }
  return undefined;
}
