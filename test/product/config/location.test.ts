import { describe, expect, it } from 'vitest';
import { parseConfigLocation } from '../../../src/product/config/location.js';
import { UsageError } from '../../../src/product/shared/errors.js';

// --config / $GPU_DASHBOARD_CONFIG: a path, or s3://bucket/key with the scheme in any case; any other
// URL is refused by name (read as a path, `https://host/x` would be the file ./https:/host/x).
describe('parseConfigLocation', () => {
  it.each([
    ['config.yaml', { kind: 'file', path: '/work/config.yaml' }],
    ['/etc/gpu/config.yaml', { kind: 'file', path: '/etc/gpu/config.yaml' }],
    ['s3://bucket/gpu/config.yaml', { kind: 's3', bucket: 'bucket', key: 'gpu/config.yaml' }],
    ['S3://bucket/gpu/Config.yaml', { kind: 's3', bucket: 'bucket', key: 'gpu/Config.yaml' }],
    ['s3://bucket/a/b/c', { kind: 's3', bucket: 'bucket', key: 'a/b/c' }],
  ])('%s', (value, expected) => {
    expect(parseConfigLocation(value, '/work', '--config')).toEqual(expected);
  });

  it.each([
    [
      'https://example.com/config.yaml',
      '--config: "https://example.com/config.yaml" is a https:// URL, which is not read; give a file path or s3://bucket/key',
    ],
    [
      'HTTP://example.com/config.yaml',
      '--config: "HTTP://example.com/config.yaml" is a HTTP:// URL, which is not read; give a file path or s3://bucket/key',
    ],
    [
      'file:///etc/config.yaml',
      '--config: "file:///etc/config.yaml" is a file:// URL, which is not read; give a file path or s3://bucket/key',
    ],
    ['S3://bucket-only', '--config: "S3://bucket-only" is not s3://bucket/key'],
  ])('refuses %s', (value, message) => {
    expect(() => parseConfigLocation(value, '/work', '--config')).toThrow(UsageError);
    expect(() => parseConfigLocation(value, '/work', '--config')).toThrow(message);
  });
});
