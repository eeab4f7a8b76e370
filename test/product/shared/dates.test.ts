// localTimesIn answers as formatLocalTime and localDateOf (dayjs for every instant) do, across offset
// changes: whole-hour and half-hour daylight saving, quarter-hour zones, and zones that changed their
// standard offset.
import { describe, expect, it } from 'vitest';
import { formatLocalTime, localDateOf, localTimesIn } from '../../../src/product/shared/dates.js';
import { createPrng } from '../../../src/world/local-wandb/http/faults.js';

const ZONES = [
  'Asia/Tokyo',
  'UTC',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe', // daylight saving of 30 minutes
  'Asia/Kathmandu', // +05:45
  'America/St_Johns', // -03:30, with daylight saving
  'Pacific/Apia', // skipped 2011-12-30 entirely
  'Europe/Moscow', // several standard-offset changes since 2010
];
const HOUR = 3_600_000;

/** Instants every 7 minutes 13.25 seconds around a date, so each one lands at a different point of its hour. */
function around(iso: string, hours: number): number[] {
  const at = Date.parse(iso);
  const out: number[] = [];
  for (let t = at - hours * HOUR; t < at + hours * HOUR; t += 433_250) out.push(t);
  return out;
}

describe('localTimesIn', () => {
  it('formats as formatLocalTime and dates as localDateOf around offset changes', () => {
    const changes = [
      '2024-03-10T07:00:00Z',
      '2024-11-03T06:00:00Z',
      '2024-03-31T01:00:00Z',
      '2024-10-27T01:00:00Z',
      '2024-04-06T15:00:00Z',
      '2024-10-05T15:30:00Z',
      '2011-12-29T10:00:00Z',
      '2011-03-26T23:00:00Z',
      '2014-10-25T22:00:00Z',
    ];
    for (const zone of ZONES) {
      const times = localTimesIn(zone);
      for (const change of changes) {
        for (const t of around(change, 4)) {
          expect(times.format(t), `${zone} ${new Date(t).toISOString()}`).toBe(formatLocalTime(t, zone));
          expect(times.date(t), `${zone} ${new Date(t).toISOString()}`).toBe(localDateOf(new Date(t), zone));
        }
      }
    }
  });

  it('keeps microseconds, and agrees at random instants of 2020–2030', () => {
    const random = createPrng(11);
    const from = Date.parse('2020-01-01T00:00:00Z');
    const span = Date.parse('2030-01-01T00:00:00Z') - from;
    for (const zone of ZONES) {
      const times = localTimesIn(zone);
      for (let i = 0; i < 400; i += 1) {
        const t = from + Math.floor(random() * span) + Math.round(random() * 1000) / 1000;
        expect(times.format(t), `${zone} ${t}`).toBe(formatLocalTime(t, zone));
      }
    }
    expect(localTimesIn('Asia/Tokyo').format(Date.parse('2024-11-03T00:15:00Z') + 0.25)).toBe(
      '2024-11-03T09:15:00.000250',
    );
  });
});
