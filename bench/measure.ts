import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export type Measurement = { wallMs: number; maxRssMb: number; code: number; stdout: string };

const REPORTER = join(import.meta.dirname, 'rss-reporter.mjs');

/** Runs `node <args>` in a child process; returns its wall time and peak RSS. */
export async function measureNode(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<Measurement> {
  const rssFile = join(process.cwd(), `.bench-rss-${process.pid}-${Date.now()}.json`);
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', REPORTER, ...args], {
    env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  const wallMs = performance.now() - started;
  const { maxRssKb } = JSON.parse(await readFile(rssFile, 'utf8')) as { maxRssKb: number };
  await rm(rssFile, { force: true });
  return { wallMs, maxRssMb: maxRssKb / 1024, code, stdout };
}
