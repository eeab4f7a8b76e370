const REDACTED = '[redacted]';
const MIN_SECRET_LENGTH = 4;

/** Replaces every occurrence of each secret (the W&B key, a webhook URL) in a text. */
export function createRedactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const list = secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH);
  return (text) => list.reduce((out, secret) => out.split(secret).join(REDACTED), text);
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
