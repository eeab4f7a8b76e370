import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/product/config/load.js';
import type { Config } from '../../src/product/config/types.js';
import { parseWandbTime } from '../../src/product/shared/dates.js';
import type { PlantedManifest, SeedRun } from '../../src/world/fleet/types.js';

export const repoConfigPath = fileURLToPath(new URL('../../config.yaml', import.meta.url));

export function loadRepoConfig(): Promise<Config> {
  return loadConfig(repoConfigPath);
}

/** A Writable that keeps what it is given, to compare generated files byte for byte. */
export function memorySink(): { stream: Writable; bytes(): Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      callback();
    },
  });
  return { stream, bytes: () => Buffer.concat(chunks) };
}

/**
 * Runs that overlap an earlier run of the same team on the same host without both being in
 * one planted duplicate-init group (docs/behaviour.md §8's duplicate-init rule); [] when the fleet is exact.
 */
export function unplantedOverlaps(runs: readonly SeedRun[], planted: PlantedManifest): string[] {
  const groupOf = new Map<string, number>();
  planted.duplicateGroups.forEach((g, i) => {
    for (const run of g.runs) groupOf.set(`${g.entity}/${run}`, i);
  });
  const byHost = new Map<string, SeedRun[]>();
  for (const r of runs) {
    const key = `${r.entity}/${r.host}`;
    byHost.set(key, [...(byHost.get(key) ?? []), r]);
  }
  const bad: string[] = [];
  const ms = (t: string) => parseWandbTime(t) ?? Number.NaN;
  for (const hostRuns of byHost.values()) {
    const sorted = [...hostRuns].sort((a, b) => ms(a.createdAt) - ms(b.createdAt));
    sorted.forEach((b, i) => {
      for (const a of sorted.slice(0, i)) {
        const overlaps = ms(b.createdAt) < ms(a.heartbeatAt) && ms(a.createdAt) < ms(b.heartbeatAt);
        const group = groupOf.get(`${a.entity}/${a.name}`);
        if (overlaps && (group === undefined || group !== groupOf.get(`${b.entity}/${b.name}`))) {
          bad.push(`${b.entity}/${b.name} overlaps ${a.name} on ${b.host}`);
        }
      }
    });
  }
  return bad;
}
