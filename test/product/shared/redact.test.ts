import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/product/shared/logger.js';
import { redactUrlCredentials } from '../../../src/product/shared/redact.js';
import { fixedClock } from '../../helpers/fakes.js';

// No URL the product logs shows its credentials, wherever it comes from: W&B's base URL, an S3 or Slack
// URL, or one quoted inside an error message. `scheme://user:pass@` becomes `scheme://[redacted]@`.
describe('redactUrlCredentials', () => {
  it.each([
    ['http://user:secret@127.0.0.1:1/graphql', 'http://[redacted]@127.0.0.1:1/graphql'],
    [
      'network error (Request cannot be constructed from a URL that includes credentials: http://user:secret@h/graphql)',
      'network error (Request cannot be constructed from a URL that includes credentials: http://[redacted]@h/graphql)',
    ],
    [
      'S3://AKIA:sk@bucket/key and https://t0ken@hooks.example.com/x',
      'S3://[redacted]@bucket/key and https://[redacted]@hooks.example.com/x',
    ],
    ['http://a@b:c@host/p', 'http://[redacted]@host/p'],
    ['http://u:p%40x@host', 'http://[redacted]@host'],
    ['git+ssh://git@github.com/x.git', 'git+ssh://[redacted]@github.com/x.git'],
  ])('%s', (text, expected) => {
    expect(redactUrlCredentials(text)).toBe(expected);
  });

  it.each([
    'https://api.wandb.ai/graphql',
    's3://bucket/key@v2',
    'https://host/path?mail=a@b.c#x@y',
    'mailto:team@example.com',
    'write to ops@example.com, see https://example.com',
    '{"url":"http://host","mail":"a@b"}',
  ])('leaves %s as it is', (text) => {
    expect(redactUrlCredentials(text)).toBe(text);
  });

  it('takes time linear in the text', () => {
    const text = `${'a'.repeat(200_000)}://${'b'.repeat(200_000)}${'x://'.repeat(50_000)}`;
    const started = performance.now();
    redactUrlCredentials(text);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('createLogger', () => {
  function written(format: 'json' | 'pretty'): string {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
    const log = createLogger({ stream, clock: fixedClock('2025-01-10T06:00:00Z'), format });
    log.warn('wandb.retry', {
      url: 'http://user:secret@127.0.0.1:1/graphql',
      reason: new Error('fetch https://AKIA:s3cret@bucket.s3.example.com/key failed', {
        cause: new Error('at http://u:pw1@h/x'),
      }),
      targets: [{ slack: 'https://bot:t0ken@hooks.slack.example/services/T/B/X' }],
    });
    return chunks.join('');
  }

  it.each(['json', 'pretty'] as const)('redacts the userinfo of every URL in a %s line', (format) => {
    const line = written(format);
    for (const secret of ['secret', 's3cret', 'pw1', 't0ken', 'AKIA', 'user:'])
      expect(line).not.toContain(secret);
    expect(line).toContain('http://[redacted]@127.0.0.1:1/graphql');
    expect(line).toContain('https://[redacted]@bucket.s3.example.com/key');
    expect(line).toContain('https://[redacted]@hooks.slack.example/services/T/B/X');
  });

  it('keeps a JSON line parseable, the redacted URL as its value', () => {
    const parsed = JSON.parse(written('json')) as { url: string; reason: { cause: string } };
    expect(parsed.url).toBe('http://[redacted]@127.0.0.1:1/graphql');
    expect(parsed.reason.cause).toBe('Error: at http://[redacted]@h/x');
  });
});
