import { describe, expect, it } from 'vitest';
import { logEventsOf } from '../../../src/world/demo/job-log-events.js';

describe('logEventsOf', () => {
  it("dates each of the logger's JSON lines by its time field and skips anything else", () => {
    const completed =
      '{"time":"2025-06-14T21:00:02.000Z","level":"info","event":"pipeline.completed","target_date":"2025-06-14"}';
    const text = [
      '{"time":"2025-06-14T21:00:00.000Z","level":"info","event":"pipeline.started"}',
      'Error: a crash trace',
      '{"level":"info","event":"no time"}',
      '{"time":"yesterday","event":"x"}',
      completed,
      '',
    ].join('\n');
    expect(logEventsOf(text)).toEqual([
      {
        timestamp: Date.parse('2025-06-14T21:00:00Z'),
        message: '{"time":"2025-06-14T21:00:00.000Z","level":"info","event":"pipeline.started"}',
      },
      { timestamp: Date.parse('2025-06-14T21:00:02Z'), message: completed },
    ]);
  });
});
