import type { Company } from '../config/types.js';
import { allocationWindow } from '../shared/calendar.js';
import type { IsoDate } from '../shared/dates.js';
import { addDays, startOfLocalDay } from '../shared/dates.js';
import { MAX_CELL_CHARS } from '../uploader/text-bounds.js';
import type { RunRecord, SkippedRun } from './types.js';

export type DateRange = { readonly start: IsoDate; readonly end: IsoDate };

export function hasGpuInfo(run: Pick<RunRecord, 'runInfo'>): boolean {
  return run.runInfo !== null && typeof run.runInfo.gpu === 'string' && run.runInfo.gpu.trim() !== '';
}

/** [start 00:00, end + 1 00:00) in the zone, as epoch ms; end undefined = open. */
function span(start: IsoDate, end: IsoDate | undefined, zone: string): [number, number] {
  return [
    startOfLocalDay(start, zone),
    end === undefined ? Number.POSITIVE_INFINITY : startOfLocalDay(addDays(end, 1), zone),
  ];
}

/** Whether a company's allocation window meets the range at all (docs/behaviour.md §4: teams outside it are not fetched). */
export function windowMeetsRange(company: Company, range: DateRange): boolean {
  const window = allocationWindow(company);
  return window.start <= range.end && (window.end === undefined || window.end >= range.start);
}

/**
 * Whether the run's text can be written to the dataset and read back (docs/behaviour.md §5): each of its
 * cells within MAX_CELL_CHARS and no NUL outside the tags (which JSON escapes). Written, any other run
 * would make the next read of the dataset stop. Tags are written as JSON with every character outside
 * ASCII as `\uXXXX`, so their cell is at most 6 characters per character plus quotes and separators.
 */
function hasWritableText(run: RunRecord): boolean {
  for (const text of [run.team, run.project, run.runId, run.state, run.host ?? '', run.username ?? '']) {
    if (text.length > MAX_CELL_CHARS || text.includes('\u0000')) return false;
  }
  let tagsCell = '[]'.length;
  for (const tag of run.tags) tagsCell += ESCAPED_CHARS * tag.length + '"", '.length;
  return tagsCell <= MAX_CELL_CHARS;
}

/** Characters a JSON `\uXXXX` escape takes for one UTF-16 unit. */
const ESCAPED_CHARS = 6;

/**
 * The counting rules of docs/behaviour.md §4: GPU info (unless the company waives it), a positive-length
 * interval, and an interval that overlaps both the range and the allocation window; and text the
 * dataset can hold (hasWritableText).
 */
export function selectRuns(
  runs: readonly RunRecord[],
  company: Company,
  range: DateRange,
  zone: string,
): { counted: RunRecord[]; skipped: SkippedRun[] } {
  const [rangeFrom, rangeTo] = span(range.start, range.end, zone);
  const window = allocationWindow(company);
  const [windowFrom, windowTo] = span(window.start, window.end, zone);
  const from = Math.max(rangeFrom, windowFrom);
  const to = Math.min(rangeTo, windowTo);
  const counted: RunRecord[] = [];
  const skipped: SkippedRun[] = [];
  for (const run of runs) {
    const skip = (reason: SkippedRun['reason']) =>
      skipped.push({ team: run.team, project: run.project, runId: run.runId, reason });
    if (company.require_gpu_info && !hasGpuInfo(run)) skip('no-gpu-info');
    else if (run.heartbeatAt < run.createdAt) skip('heartbeat-before-creation');
    // parity: the original skips runs whose createdAt equals heartbeatAt (zero length).
    else if (run.heartbeatAt === run.createdAt) skip('zero-length');
    else if (!(run.createdAt < to && run.heartbeatAt > from)) skip('outside-range');
    else if (!hasWritableText(run)) skip('text-out-of-bounds');
    else counted.push(run);
  }
  return { counted, skipped };
}
