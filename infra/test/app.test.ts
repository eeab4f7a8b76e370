import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { settingsJsonWith } from './builders.js';

// bin/app.ts run as `cdk synth` runs it (context in CDK_CONTEXT_JSON), to show it validates what it reads.
const INFRA = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'infra-app-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Outcome = { code: number; stderr: string };
type Metadata = Record<string, { type: string; data: unknown }[]>;
type Manifest = {
  artifacts: Record<string, { type: string; metadata?: Metadata; additionalMetadataFile?: string }>;
};

let runs = 0;
/** Where the last runApp wrote its cloud assembly. */
let outdir = '';

async function runApp(context: Record<string, unknown>): Promise<Outcome> {
  outdir = join(dir, `cdk.out.${runs++}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CDK_CONTEXT_JSON: JSON.stringify(context),
    CDK_OUTDIR: outdir,
  };
  try {
    const { stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: INFRA,
      env,
    });
    return { code: 0, stderr };
  } catch (error) {
    const { code, stderr } = error as { code: number; stderr: string };
    return { code, stderr };
  }
}

/** The error annotations per stack, as `cdk synth` / `cdk deploy` print them before refusing that stack. */
function errorsByStack(): Record<string, unknown[]> {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as Manifest;
  return Object.fromEntries(
    Object.entries(manifest.artifacts)
      .filter(([, a]) => a.type === 'aws:cloudformation:stack')
      .map(([name, a]) => {
        // The CLI reads both: inline metadata and the stack's `<name>.metadata.json`.
        const extra: Metadata = a.additionalMetadataFile
          ? (JSON.parse(readFileSync(join(outdir, a.additionalMetadataFile), 'utf8')) as Metadata)
          : {};
        const entries = [...Object.values(a.metadata ?? {}), ...Object.values(extra)].flat();
        return [name, entries.filter((m) => m.type === 'aws:cdk:error').map((m) => m.data)];
      }),
  );
}

describe('bin/app.ts', () => {
  it('builds both stacks from the default settings.json, and refuses the tasks stack for want of an image tag', async () => {
    expect(await runApp({})).toMatchObject({ code: 0 });
    const message =
      'set an explicit image tag or digest (sha256:…); "latest" is not deployable — pass -c imageTag=<tag>';
    expect(errorsByStack()).toEqual({
      'GpuDashboard-Repositories': [],
      GpuDashboard: [`imageTags.main: ${message}`, `imageTags.check: ${message}`],
    });
  });

  it('builds both stacks without errors given -c imageTag', async () => {
    expect(await runApp({ imageTag: '0123abc' })).toMatchObject({ code: 0 });
    expect(errorsByStack()).toEqual({ 'GpuDashboard-Repositories': [], GpuDashboard: [] });
  });

  it('stops on -c imageTag=latest, naming the setting and the context key', async () => {
    const { code, stderr } = await runApp({ imageTag: 'latest' });
    expect(code).not.toBe(0);
    expect(stderr).toContain(
      '  imageTags.main: set an explicit image tag or digest (sha256:…); "latest" is not deployable — pass -c imageTag=<tag> (from context "imageTag")\n',
    );
  });

  it('stops when the settings disagree with the config.yaml to deploy', async () => {
    const { code, stderr } = await runApp({ imageTag: '0123abc', region: 'eu-central-1' });
    expect(code).not.toBe(0);
    expect(stderr).toContain(
      `  region: "eu-central-1" but cloudwatch.region in ${join(INFRA, '..', 'config.yaml')} is "ap-northeast-1": settings region and config cloudwatch.region must agree\n`,
    );
  });

  it('stops on invalid settings, listing each problem by dot path, overrides included', async () => {
    const file = join(dir, 'settings.json');
    writeFileSync(file, JSON.stringify(settingsJsonWith({ timeZone: 'JST', extra: true })));
    const { code, stderr } = await runApp({ settingsFile: file, jobTime: '25:00' });
    expect(code).not.toBe(0);
    expect(stderr).toContain(`SettingsError: ${file}: invalid infra settings`);
    expect(stderr).toContain('  timeZone: "JST" is not an IANA time zone\n');
    expect(stderr).toContain('  schedules.job: expected HH:MM (24 h) (from context "jobTime")\n');
    expect(stderr).toContain('  extra: unknown key\n');
  });
});
