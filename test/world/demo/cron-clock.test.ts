import { describe, expect, it } from 'vitest';
import { createCronClock } from '../../../src/world/demo/cron-clock.js';
import { manualClock } from '../../helpers/fakes.js';

describe('createCronClock', () => {
  it('reads the real time until told otherwise', () => {
    const real = manualClock('2025-06-15T03:00:00Z');
    expect(createCronClock(real).now().toISOString()).toBe('2025-06-15T03:00:00.000Z');
  });

  it('starts at the chosen past moment and runs at real speed from there', () => {
    const real = manualClock('2025-06-15T03:00:00Z');
    const cron = createCronClock(real);
    cron.startAt(Date.parse('2025-06-02T21:00:00Z'));
    real.advance(1500);
    expect(cron.now().toISOString()).toBe('2025-06-02T21:00:01.500Z');
  });

  it('never runs ahead of the real time', () => {
    const real = manualClock('2025-06-15T03:00:00Z');
    const cron = createCronClock(real);
    cron.startAt(Date.parse('2025-06-15T21:00:00Z'));
    expect(cron.now().toISOString()).toBe('2025-06-15T03:00:00.000Z');
  });
});
