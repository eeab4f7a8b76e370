import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const enc = (part: string): string =>
  encodeURIComponent(part).replace(/^\.+/, (dots) => '%2E'.repeat(dots.length));

/** Where everything lives under --data-dir. Metadata is split per project so a mutation rewrites one small file. */
export function diskLayout(dataDir: string) {
  const projectsDir = join(dataDir, 'state', 'projects');
  return {
    dataDir,
    globalFile: join(dataDir, 'state', 'global.json'),
    projectsDir,
    projectFile: (entity: string, project: string) => join(projectsDir, enc(entity), `${enc(project)}.json`),
    alertsFile: join(dataDir, 'alerts.jsonl'),
    linesFile: (entity: string, project: string, run: string, file: string) =>
      join(dataDir, 'lines', enc(entity), enc(project), enc(run), enc(file)),
    blobFile: (hex: string) => join(dataDir, 'blobs', hex.slice(0, 2), hex),
    seedMarker: join(dataDir, 'seed-loaded.json'),
    urlSecretFile: join(dataDir, 'url-secret'),
  };
}
export type DiskLayout = ReturnType<typeof diskLayout>;

let tmpCounter = 0;

/** Write-then-rename, so a crash leaves either the old or the new file, never half of one. */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  tmpCounter += 1;
  const tmp = `${path}.${process.pid}.${tmpCounter}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Every `<entity>/<project>.json` under the projects folder. */
export async function listProjectFiles(projectsDir: string): Promise<string[]> {
  const entities = await readdir(projectsDir).catch((error: unknown) => {
    if (isNotFound(error)) return [] as string[];
    throw error;
  });
  const files: string[] = [];
  for (const entity of entities) {
    for (const name of await readdir(join(projectsDir, entity))) {
      if (name.endsWith('.json')) files.push(join(projectsDir, entity, name));
    }
  }
  return files;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
