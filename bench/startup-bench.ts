import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { measureNode } from './measure.js';

// Start-up of the built binary: wall time and modules loaded for commands that do no work. The nightly
// `run` must load none of the embedded W&B world (dist/world/).
const ROOT = join(import.meta.dirname, '..');
const MAIN = process.env.BENCH_MAIN ?? join(ROOT, 'dist', 'main.js');
const RECORDER = join(ROOT, 'test', 'helpers', 'record-loads.mjs');
const COMMANDS = [['--version'], ['run', '--help'], ['local-server', '--help']] as const;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 9);

type StartupFigure = {
  command: string;
  wallMsMedian: number;
  maxRssMb: number;
  modules: { product: number; world: number; dependencies: number };
};

export async function benchStartup(): Promise<StartupFigure[]> {
  const figures: StartupFigure[] = [];
  for (const args of COMMANDS) {
    const walls: number[] = [];
    let rss = 0;
    for (let i = 0; i < REPEAT; i++) {
      const m = await measureNode([MAIN, ...args]);
      walls.push(m.wallMs);
      rss = Math.max(rss, m.maxRssMb);
    }
    walls.sort((a, b) => a - b);
    figures.push({
      command: `gpu-dashboard ${args.join(' ')}`,
      wallMsMedian: Math.round(walls[Math.floor(walls.length / 2)] as number),
      maxRssMb: Math.round(rss),
      modules: await loadedModules(args),
    });
  }
  process.stderr.write(`${JSON.stringify(figures, null, 2)}\n`);
  return figures;
}

/** Modules one run loads, by where they live (the recorder is a module-loader hook). */
async function loadedModules(args: readonly string[]): Promise<StartupFigure['modules']> {
  const out = join(ROOT, `.bench-loads-${process.pid}.txt`);
  await measureNode(['--import', pathToFileURL(RECORDER).href, MAIN, ...args], { RECORD_LOADS: out });
  const urls = (await readFile(out, 'utf8')).split('\n').filter((u) => u.startsWith('file:'));
  await rm(out, { force: true });
  const dist = pathToFileURL(MAIN.slice(0, MAIN.lastIndexOf('/dist/') + '/dist'.length)).href;
  const inDist = urls.filter((u) => u.startsWith(dist));
  return {
    product: inDist.filter((u) => !/\/dist\/(world|local-wandb|fleet|demo)\//.test(u)).length,
    world: inDist.filter((u) => /\/dist\/(world|local-wandb|fleet|demo)\//.test(u)).length,
    dependencies: urls.filter((u) => u.includes('/node_modules/')).length,
  };
}
