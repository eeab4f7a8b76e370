import { LINE_FILES, type LineFile, type RunRec } from '../store/model.js';
import type { Store } from '../store/store.js';

type FileChunk = { offset?: unknown; content?: unknown };

const isLineFile = (name: string): name is LineFile => (LINE_FILES as readonly string[]).includes(name);

/**
 * Applies one file-stream POST (docs/wandb-protocol.md §7): lines by offset, the last summary line as
 * summaryMetrics, a heartbeat bump, and `complete` + `exitcode` → finished/failed. Unknown files are ignored.
 */
export async function applyFileStream(store: Store, run: RunRec, body: unknown): Promise<void> {
  const request = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const files = typeof request.files === 'object' && request.files !== null ? request.files : {};
  for (const [name, raw] of Object.entries(files as Record<string, FileChunk>)) {
    const content = Array.isArray(raw?.content)
      ? raw.content.filter((c): c is string => typeof c === 'string')
      : [];
    if (content.length === 0) continue;
    const offset = typeof raw.offset === 'number' && raw.offset >= 0 ? raw.offset : 0;
    if (isLineFile(name)) await store.writeLines(run, name, offset, content);
    else if (name === 'wandb-summary.json') run.summaryMetrics = content.at(-1) ?? run.summaryMetrics;
  }
  const now = store.now();
  run.heartbeatAt = now;
  run.updatedAt = now;
  if (request.complete === true) {
    const exitcode = typeof request.exitcode === 'number' ? request.exitcode : 0;
    run.exitcode = exitcode;
    run.state = exitcode === 0 ? 'finished' : 'failed';
  }
  store.touchRun(run);
}
