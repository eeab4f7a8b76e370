import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../product/shared/errors.js';

/** Written into the demo folder: only a folder holding it (or an empty or missing one) is ever deleted. */
export const DEMO_MARKER = '.gpu-dashboard-demo';

/** Where the demo keeps things, all under one folder that each demo empties first. */
export function demoPaths(dir: string) {
  return {
    dir,
    seed: join(dir, 'fleet.json'),
    manifest: join(dir, 'fleet-manifest.json'),
    config: join(dir, 'config.yaml'),
    wandb: join(dir, 'wandb'),
    jobLog: join(dir, 'job-log.jsonl'),
    checkLog: join(dir, 'check-log.jsonl'),
    checkReport: join(dir, 'check-report.json'),
    out: join(dir, 'out'),
  };
}
export type DemoPaths = ReturnType<typeof demoPaths>;

/**
 * Empties the demo folder. A folder that has files but no marker was not made by the demo:
 * it is left alone and the demo stops (exit 2), so `--dir ~` cannot delete a home directory.
 */
export async function resetDemoDir(dir: string): Promise<DemoPaths> {
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  if (entries.length > 0 && !entries.includes(DEMO_MARKER)) {
    throw new UsageError(`${dir} is not empty and was not made by the demo; choose another --dir`);
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, DEMO_MARKER), 'Made by `gpu-dashboard demo`; emptied by the next demo.\n');
  return demoPaths(dir);
}
