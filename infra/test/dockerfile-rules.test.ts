import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintDockerfile } from '../scripts/dockerfile-rules.js';

const read = (name: string) => readFileSync(new URL(`../../${name}`, import.meta.url), 'utf8');
const rulesOf = (text: string, subcommand = 'run') => lintDockerfile(text, subcommand).map((f) => f.rule);

const GOOD = `FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY src ./src
RUN npm run build
FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts
FROM node:20-slim
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json config.yaml ./
USER node
ENTRYPOINT ["gpu-dashboard"]
CMD ["run"]
`;

describe('the repository Dockerfiles', () => {
  it.each([
    ['Dockerfile.main', 'run'],
    ['Dockerfile.check', 'check'],
  ])('%s passes dockerfile-utils and the house rules', (file, subcommand) => {
    expect(lintDockerfile(read(file), subcommand)).toEqual([]);
  });

  it('Dockerfile.main does not pass as the checker image (the rules see the command)', () => {
    expect(rulesOf(read('Dockerfile.main'), 'check')).toEqual(['command']);
  });
});

describe('lintDockerfile', () => {
  it('accepts a minimal compliant Dockerfile', () => {
    expect(rulesOf(GOOD)).toEqual([]);
  });

  it.each([
    ['running as root', GOOD.replace('USER node\n', ''), 'user-node'],
    ['another base image', GOOD.replace('FROM node:20-slim AS deps', 'FROM node:22 AS deps'), 'base-image'],
    [
      'a secret in ENV',
      GOOD.replace('WORKDIR /app\nCOPY --from', 'ENV WANDB_API_KEY=abc\nWORKDIR /app\nCOPY --from'),
      'no-secrets',
    ],
    [
      'a secret build arg',
      GOOD.replace('FROM node:20-slim AS deps', 'FROM node:20-slim AS deps\nARG SLACK_WEBHOOK_URL'),
      'no-secrets',
    ],
    [
      'sources in the runtime stage',
      GOOD.replace('COPY package.json config.yaml ./', 'COPY . ./'),
      'runtime-copies',
    ],
    [
      'no config.yaml',
      GOOD.replace('COPY package.json config.yaml ./', 'COPY package.json ./'),
      'runtime-content',
    ],
    ['dev dependencies', GOOD.replace('npm ci --omit=dev --ignore-scripts', 'npm ci'), 'production-deps'],
    [
      'shell-form entrypoint',
      GOOD.replace('ENTRYPOINT ["gpu-dashboard"]', 'ENTRYPOINT gpu-dashboard'),
      'entrypoint',
    ],
    ['a single stage', GOOD.slice(GOOD.lastIndexOf('FROM node:20-slim\n')), 'multi-stage'],
    ['COPY from an unknown stage', GOOD.replace('--from=deps', '--from=prod'), 'copy-from'],
  ])('flags %s', (_name, text, rule) => {
    expect(rulesOf(text)).toContain(rule);
  });

  it("reports dockerfile-utils' own diagnostics", () => {
    expect(rulesOf(GOOD.replace('USER node', 'USER'))).toContain('dockerfile-utils/2');
  });
});
