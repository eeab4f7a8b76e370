import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

async function runApp(context: Record<string, unknown>): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context) };
  delete env.CDK_OUTDIR;
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

describe('bin/app.ts', () => {
  it('builds the app from the default settings.json', async () => {
    expect(await runApp({})).toMatchObject({ code: 0 });
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
