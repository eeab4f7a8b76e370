import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintDockerfile } from '../scripts/dockerfile-rules.js';

const read = (name: string) => readFileSync(new URL(`../../${name}`, import.meta.url), 'utf8');
const PINNED = read('.node-version').trim();
// The synthetic files use another release than the repository's, so the rules are seen to follow the pin.
const PIN = '24.1.0';
const rulesOf = (text: string, subcommand = 'run', nodeVersion = PIN) =>
  lintDockerfile(text, { subcommand, nodeVersion }).map((f) => f.rule);

const GOOD = `FROM node:24.1.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY src ./src
RUN npm run build
FROM node:24.1.0-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts
FROM node:24.1.0-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
ENTRYPOINT ["gpu-dashboard"]
CMD ["run"]
`;
const withDepsFrom = (image: string) =>
  GOOD.replace('FROM node:24.1.0-bookworm-slim AS deps', `FROM ${image} AS deps`);

describe('the repository Dockerfiles', () => {
  it('pin an exact Node 24 release in .node-version', () => {
    expect(PINNED).toMatch(/^24\.\d+\.\d+$/);
  });

  it.each([
    ['Dockerfile.main', 'run'],
    ['Dockerfile.check', 'check'],
  ])('%s passes dockerfile-utils and the house rules', (file, subcommand) => {
    expect(lintDockerfile(read(file), { subcommand, nodeVersion: PINNED })).toEqual([]);
  });

  it('Dockerfile.main does not pass as the checker image (the rules see the command)', () => {
    expect(rulesOf(read('Dockerfile.main'), 'check', PINNED)).toEqual(['command']);
  });

  it.each([
    'Dockerfile.main',
    'Dockerfile.check',
  ])('%s fails in its three FROMs once the pin moves', (file) => {
    const [major, minor, patch] = PINNED.split('.').map(Number);
    const moved = `${major}.${minor}.${(patch ?? 0) + 1}`;
    expect(rulesOf(read(file), file === 'Dockerfile.main' ? 'run' : 'check', moved)).toEqual([
      'base-image',
      'base-image',
      'base-image',
    ]);
  });
});

describe('lintDockerfile', () => {
  it('accepts a minimal compliant Dockerfile', () => {
    expect(rulesOf(GOOD)).toEqual([]);
  });

  it.each([
    ['running as root', GOOD.replace('USER node\n', ''), 'user-node'],
    [
      'a secret in ENV',
      GOOD.replace('WORKDIR /app\nCOPY --from', 'ENV WANDB_API_KEY=abc\nWORKDIR /app\nCOPY --from'),
      'no-secrets',
    ],
    [
      'a secret build arg',
      GOOD.replace('RUN npm ci --omit=dev', 'ARG SLACK_WEBHOOK_URL\nRUN npm ci --omit=dev'),
      'no-secrets',
    ],
    ['sources in the runtime stage', GOOD.replace('COPY package.json ./', 'COPY . ./'), 'runtime-copies'],
    ['no package.json', GOOD.replace('COPY package.json ./\n', ''), 'runtime-content'],
    ['dev dependencies', GOOD.replace('npm ci --omit=dev --ignore-scripts', 'npm ci'), 'production-deps'],
    [
      'shell-form entrypoint',
      GOOD.replace('ENTRYPOINT ["gpu-dashboard"]', 'ENTRYPOINT gpu-dashboard'),
      'entrypoint',
    ],
    ['a single stage', GOOD.slice(GOOD.lastIndexOf('FROM node:24.1.0-bookworm-slim\n')), 'multi-stage'],
    ['COPY from an unknown stage', GOOD.replace('--from=deps', '--from=prod'), 'copy-from'],
  ])('flags %s', (_name, text, rule) => {
    expect(rulesOf(text)).toContain(rule);
  });

  it.each([
    'node:20-slim',
    'node:24-slim',
    'node:24-bookworm-slim',
    'node:lts-slim',
    'node:latest',
    'node',
    'node:24.1.0',
    'node:24.1.0-slim',
    'node:24.1.1-bookworm-slim',
    'debian:bookworm-slim',
  ])('flags a stage FROM %s instead of the pinned base', (image) => {
    expect(rulesOf(withDepsFrom(image))).toEqual(['base-image']);
  });

  it.each([
    ['a Node 20 release', '20.19.0'],
    ['a floating major', '24'],
    ['a floating minor', '24.1'],
  ])('flags a pin to %s, even with every FROM on it', (_name, nodeVersion) => {
    const text = GOOD.replaceAll('node:24.1.0-bookworm-slim', `node:${nodeVersion}-bookworm-slim`);
    expect(rulesOf(text, 'run', nodeVersion)).toEqual(['base-image']);
  });

  const withEnv = (line: string) => GOOD.replace('ENV NODE_ENV=production', line);
  it.each([
    [
      'config.yaml from the context',
      GOOD.replace('COPY package.json ./', 'COPY package.json config.yaml ./'),
    ],
    [
      'a config from the build stage',
      GOOD.replace('COPY package.json ./', 'COPY package.json ./\nCOPY --from=build /app/config.yaml ./'),
    ],
    [
      'GPU_DASHBOARD_CONFIG at a file inside',
      withEnv('ENV NODE_ENV=production GPU_DASHBOARD_CONFIG=/app/config.yaml'),
    ],
    ['GPU_DASHBOARD_CONFIG in the legacy form', withEnv('ENV GPU_DASHBOARD_CONFIG /app/config.yaml')],
    ['GPU_DASHBOARD_CONFIG even at a bucket', withEnv('ENV GPU_DASHBOARD_CONFIG=s3://bucket/config.yaml')],
  ])('flags a programme config baked into the image: %s', (_name, text) => {
    expect(rulesOf(text)).toContain('no-baked-config');
  });

  it('flags the images as they were on Node 20 with a baked-in config', () => {
    const old = GOOD.replaceAll('node:24.1.0-bookworm-slim', 'node:20-slim').replace(
      'COPY package.json ./',
      'ENV GPU_DASHBOARD_CONFIG=/app/config.yaml\nCOPY package.json config.yaml ./',
    );
    expect(new Set(rulesOf(old))).toEqual(new Set(['base-image', 'no-baked-config', 'runtime-copies']));
  });

  it("reports dockerfile-utils' own diagnostics", () => {
    expect(rulesOf(GOOD.replace('USER node', 'USER'))).toContain('dockerfile-utils/2');
  });
});
