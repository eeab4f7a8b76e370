import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { patternAllRows } from '../seed/metrics-pattern.js';
import type { Fleet } from './generate.js';
import type { FleetManifest, SeedRun } from './types.js';

export type WriteResult = { readonly manifest: FleetManifest; readonly bytes: number; readonly runs: number };

const FLUSH_BYTES = 1 << 20;

/**
 * Streams the seed file to `out`, run by run, so a 20,000-run fleet never exists as one string.
 * With `inlineMetrics` every pattern is expanded into a full `systemMetrics` array.
 */
export async function writeSeed(fleet: Fleet, out: Writable, inlineMetrics: boolean): Promise<WriteResult> {
  const manifest = fleet.manifestBuilder();
  let buffer = '';
  let bytes = 0;
  const write = async (text: string, force = false) => {
    buffer += text;
    if (buffer.length < FLUSH_BYTES && !force) return;
    bytes += Buffer.byteLength(buffer);
    const ok = out.write(buffer);
    buffer = '';
    if (!ok) await once(out, 'drain');
  };
  const { entities, viewer, projects } = fleet.header;
  await write(`{"entities":${JSON.stringify(entities)},\n"viewer":${JSON.stringify(viewer)},\n"projects":[`);
  await write(projects.map((p) => `\n${JSON.stringify(p)}`).join(','));
  await write('],\n"runs":[');
  let runs = 0;
  for (const { team, planned } of fleet.runs()) {
    manifest.add(team, planned);
    await write(
      `${runs === 0 ? '' : ','}\n${JSON.stringify(inlineMetrics ? inlined(planned.run) : planned.run)}`,
    );
    runs++;
  }
  await write('],\n"artifacts":[]}\n', true);
  return { manifest: manifest.finish(), bytes, runs };
}

function inlined(run: SeedRun): SeedRun {
  if (!('systemMetricsPattern' in run)) return run;
  const { systemMetricsPattern, ...rest } = run;
  return { ...rest, systemMetrics: patternAllRows(systemMetricsPattern) };
}
