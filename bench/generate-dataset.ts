import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { addDays, type IsoDate } from '../src/product/shared/dates.js';
import { ORIGINAL_COLUMNS } from '../src/product/shared/run-day.js';
import { createRandom } from '../src/world/seed/random.js';

const RUN_DAYS = 4;

/**
 * Writes a dataset CSV of `rows` run-day rows spread over the given teams and the days
 * from `start`, in our output format (the Python original's columns, then cpu_count).
 */
export async function generateDataset(
  path: string,
  rows: number,
  teams: readonly string[],
  start: IsoDate,
  days: number,
): Promise<void> {
  // Seeded, so every bench run reads the same file.
  const { next } = createRandom(42);
  const out = createWriteStream(path);
  out.write(`${[...ORIGINAL_COLUMNS, 'cpu_count'].join(',')}\n`);
  let buffer = '';
  let runStart = start;
  for (let i = 0; i < rows; i++) {
    // A run spans RUN_DAYS consecutive days (one row each), as multi-day training runs do.
    const run = Math.floor(i / RUN_DAYS);
    const team = teams[run % teams.length]!;
    if (i % RUN_DAYS === 0) runStart = addDays(start, Math.floor(next() * days));
    const date = addDays(runStart, i % RUN_DAYS);
    const hours = (next() * 24).toFixed(4);
    const hasMetrics = next() > 0.1;
    const util = hasMetrics ? (next() * 100).toFixed(2) : '';
    const mem = hasMetrics ? (next() * 60).toFixed(2) : '';
    const tags = next() > 0.95 ? '"[""other_gpu""]"' : '[]';
    buffer += `${date},${team},proj-${run % 13},run${run.toString(36)},${tags},${date}T01:00:00.000000,${date}T23:00:00.000000,finished,${hours},${8 * (1 + (run % 4))},${util},${mem},${util ? '100.0' : ''},${mem ? '80.0' : ''},${team}-node-${run % 16},${addDays(date, 1)}T00:15:00.000000,96\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.write(buffer);
  out.end();
  await once(out, 'finish');
}
