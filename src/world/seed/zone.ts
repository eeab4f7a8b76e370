/**
 * Fast local-time arithmetic for one IANA zone: the UTC offset is looked up through Intl once
 * per quarter hour (the finest step at which real zones change offset) and cached, which makes
 * per-sample local hours cheap enough for millions of samples.
 */
export type ZoneClock = {
  /** Offset of local time from UTC at an instant, in seconds (Asia/Tokyo: 32400). */
  offset(epochSec: number): number;
  /** Days since 1970-01-01 of the local date at an instant: equal values mean the same local date. */
  dayNumber(epochSec: number): number;
  /** Local hour of day, fractional, in [0, 24). */
  hour(epochSec: number): number;
};

/**
 * One clock per zone, built on first use: a clock holds an Intl format and its offsets, which cost more
 * to build than a whole sample of pattern lines. Each server (or generator run) keeps its own.
 */
export function zoneClocks(): (zone: string) => ZoneClock {
  const clocks = new Map<string, ZoneClock>();
  return (zone) => {
    let clock = clocks.get(zone);
    if (!clock) {
      clock = createZoneClock(zone);
      clocks.set(zone, clock);
    }
    return clock;
  };
}

export function createZoneClock(zone: string): ZoneClock {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const cache = new Map<number, number>();
  const offset = (epochSec: number): number => {
    const bucket = Math.floor(epochSec / 900);
    let cached = cache.get(bucket);
    if (cached === undefined) {
      cached = lookUpOffset(format, bucket * 900);
      cache.set(bucket, cached);
    }
    return cached;
  };
  return {
    offset,
    dayNumber: (epochSec) => Math.floor((epochSec + offset(epochSec)) / 86_400),
    hour: (epochSec) => ((((epochSec + offset(epochSec)) % 86_400) + 86_400) % 86_400) / 3600,
  };
}

function lookUpOffset(format: Intl.DateTimeFormat, epochSec: number): number {
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(epochSec * 1000))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc / 1000 - epochSec;
}

/** Epoch seconds as W&B writes DateTimes: UTC 'YYYY-MM-DDTHH:MM:SS', no zone suffix. */
export function formatWandbTime(epochSec: number): string {
  return new Date(Math.floor(epochSec) * 1000).toISOString().slice(0, 19);
}
