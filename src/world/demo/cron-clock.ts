import type { Clock } from '../../product/shared/clock.js';

/** A clock that runs at real speed from a moment the demo picks: the time a cron job would start. */
export type CronClock = Clock & {
  /** From now on, now() reads `epochMs` plus the real time elapsed since; never later than the real time. */
  startAt(epochMs: number): void;
};

export function createCronClock(real: Clock): CronClock {
  let offset = 0;
  return {
    now: () => new Date(real.now().getTime() + offset),
    startAt(epochMs) {
      const realNow = real.now().getTime();
      offset = Math.min(epochMs, realNow) - realNow;
    },
  };
}
