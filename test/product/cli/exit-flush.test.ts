// The binary's exit must not cut what it printed: a report piped to another program arrives whole.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const EXIT_MODULE = new URL('../../../src/product/cli/exit.ts', import.meta.url).href;
const SIZE = 8 * 1024 * 1024;

/** Bytes a child writing SIZE bytes to its stdout (a pipe, read slowly) delivers before it exits via `how`. */
function bytesDelivered(how: 'flushed' | 'at once'): Promise<number> {
  const script = `
    import { exitWhenFlushed } from ${JSON.stringify(EXIT_MODULE)};
    process.stdout.write('x'.repeat(${SIZE}));
    ${how === 'flushed' ? 'await exitWhenFlushed(0, [process.stdout, process.stderr], process.exit);' : 'process.exit(0);'}
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let bytes = 0;
  // Read in slow bursts, as a consumer busy with the first bytes would: the pipe fills up.
  child.stdout.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), 2);
  });
  return new Promise((resolve) => child.on('close', () => resolve(bytes)));
}

describe('exitWhenFlushed', () => {
  it('delivers everything written to a pipe before the process ends', async () => {
    expect(await bytesDelivered('flushed')).toBe(SIZE);
  });

  it('is needed: process.exit right after the write cuts the output', async () => {
    expect(await bytesDelivered('at once')).toBeLessThan(SIZE);
  });
});
