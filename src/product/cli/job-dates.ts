import type { Config } from '../config/types.js';
import { addDays, type IsoDate, localDateOf } from '../shared/dates.js';
import { UsageError } from '../shared/errors.js';
import { parseDateFlag } from './options.js';

/**
 * The job's date range (docs/behaviour.md §3): T = --end-date, default yesterday; only --start-date → end is
 * yesterday; only --end-date → that one day (a longer backfill is always asked for with --start-date).
 * Dates are local to the config zone.
 */
export function resolveJobDates(
  flags: { startDate?: string | undefined; endDate?: string | undefined },
  config: Pick<Config, 'timezone'>,
  now: Date,
): { start: IsoDate; end: IsoDate } {
  const today = localDateOf(now, config.timezone);
  const yesterday = addDays(today, -1);
  const end = flags.endDate === undefined ? yesterday : parseDateFlag(flags.endDate, '--end-date');
  let start: IsoDate;
  if (flags.startDate !== undefined) start = parseDateFlag(flags.startDate, '--start-date');
  else start = end;
  if (end > today) throw new UsageError(`--end-date: ${end} is after today (${today} in ${config.timezone})`);
  if (start > end) throw new UsageError(`--start-date ${start} is after the end date ${end}`);
  return { start, end };
}
