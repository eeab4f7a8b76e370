import type { Clock } from '../../src/product/shared/clock.js';
import type { LogFields, Logger, LogLevel } from '../../src/product/shared/logger.js';
import type { Provenance } from '../../src/product/shared/provenance.js';

// Test doubles for the injected clock and logger (the product's own are systemClock and createLogger).

/** A fixed provenance for tests that call runJob, runCheck or publishTables directly. */
export const testProvenance: Provenance = {
  productVersion: '0.0.0-test',
  configSha256: 'c0ffee'.padEnd(64, '0'),
};

/** A clock stopped at one instant. */
export function fixedClock(at: Date | string): Clock {
  const instant = new Date(at);
  return { now: () => new Date(instant) };
}

/** A clock the test moves by hand: `set` to an instant, `advance` by milliseconds. */
export function manualClock(
  start: Date | string,
): Clock & { set(at: Date | string): void; advance(ms: number): void } {
  let at = new Date(start).getTime();
  return {
    now: () => new Date(at),
    set: (next) => {
      at = new Date(next).getTime();
    },
    advance: (ms) => {
      at += ms;
    },
  };
}

export type LoggedEvent = { level: LogLevel; event: string; fields: LogFields };

/** A logger that keeps every event in `events`, for assertions on what was logged. */
export function createMemoryLogger(): Logger & { events: LoggedEvent[] } {
  const events: LoggedEvent[] = [];
  const push =
    (level: LogLevel) =>
    (event: string, fields: LogFields = {}) => {
      events.push({ level, event, fields });
    };
  return { events, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}
