import type { Config } from '../config/types.js';
import { addDays, type IsoDate, localDateOf } from '../shared/dates.js';
import { UsageError } from '../shared/errors.js';
import { parseDateFlag } from './options.js';

/**
 * The job's date range (docs/behaviour.md §3): T = --end-date, default yesterday; only --start-date → end is
 * yesterday; only --end-date → start is the earliest schedule date. Dates are local to the config zone.
 */
export function resolveJobDates(
  flags: { startDate?: string | undefined; endDate?: string | undefined },
  config: Pick<Config, 'timezone' | 'companies'>,
  now: Date,
): { start: IsoDate; end: IsoDate } {
  const today = localDateOf(now, config.timezone);
  const yesterday = addDays(today, -1);
  const end = flags.endDate === undefined ? yesterday : parseDateFlag(flags.endDate, '--end-date');
  let start: IsoDate;
  if (flags.startDate !== undefined) start = parseDateFlag(flags.startDate, '--start-date');
  else if (flags.endDate !== undefined) start = earliestScheduleDate(config);
  else start = yesterday;
  if (end > today) throw new UsageError(`--end-date: ${end} is after today (${today} in ${config.timezone})`);
  if (start > end) throw new UsageError(`--start-date ${start} is after the end date ${end}`);
  return { start, end };
}

function earliestScheduleDate(config: Pick<Config, 'companies'>): IsoDate {
  const dates = config.companies.map((c) => c.schedule[0]!.date).sort();
  return dates[0]!;
}
