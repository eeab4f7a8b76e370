import { readFile } from 'node:fs/promises';
import type { LogEvent } from '../../product/index.js';

/**
 * The demo's job log (the JSON lines the logger wrote) as the events CloudWatch would hold:
 * each line with the time of its `time` field. Lines that are not the logger's are skipped.
 */
export function logEventsOf(text: string): LogEvent[] {
  return text.split('\n').flatMap((message) => {
    if (!message.trim()) return [];
    try {
      const fields: unknown = JSON.parse(message);
      const time =
        typeof fields === 'object' && fields !== null ? (fields as { time?: unknown }).time : undefined;
      const timestamp = typeof time === 'string' ? Date.parse(time) : Number.NaN;
      return Number.isNaN(timestamp) ? [] : [{ timestamp, message }];
    } catch {
      return [];
    }
  });
}

export async function readLogEvents(path: string): Promise<LogEvent[]> {
  return logEventsOf(await readFile(path, 'utf8'));
}
