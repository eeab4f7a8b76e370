// The month-end statement (docs/behaviour.md §13) from the calculator, worked by hand.
import { describe, expect, it } from 'vitest';
import { calculateTables } from '../../../src/product/calculator/build-tables.js';
import { statementTable } from '../../../src/product/calculator/statement-table.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import { makeConfig, makeRunDay } from '../../helpers/builders.js';

// February 2025 (28 days); acme has 1 node from Feb 1 and 2 from Feb 15: 14 × 192 + 14 × 384 = 8064 h.
const T = '2025-02-28' as IsoDate;
const config = makeConfig({
  timezone: 'Asia/Tokyo',
  companies: [
    {
      company: 'acme',
      teams: ['acme-team'],
      schedule: [
        { date: '2025-02-01', assigned_gpu_node: 1 },
        { date: '2025-02-15', assigned_gpu_node: 2 },
      ],
    },
  ],
});
const run = (
  date: string,
  runId: string,
  project: string,
  username: string,
  start: number,
  hours: number,
  util: number | null,
) =>
  makeRunDay({
    date,
    company_name: 'acme-team',
    project,
    run_id: runId,
    username,
    host_name: 'node-1',
    created_at: `${date}T${String(start).padStart(2, '0')}:00:00.000000`,
    updated_at: `${date}T${String(start + hours).padStart(2, '0')}:00:00.000000`,
    duration_hour: hours,
    gpu_count: 8,
    average_gpu_utilization: util,
  });
const rows = [
  // Feb 3: r1 10:00–14:00 and r2 12:00–16:00 on node-1 overlap (a duplicate-init group); 32 + 32 GPU h.
  run('2025-02-03', 'r1', 'llm', 'aiko', 10, 4, 50),
  run('2025-02-03', 'r2', 'llm', 'aiko', 12, 4, null),
  // Feb 20: 10 h × 8 = 80 GPU h in `vision` by ben at 75 %.
  run('2025-02-20', 'r3', 'vision', 'ben', 8, 10, 75),
];

describe('a month-end statement', () => {
  // The job asks for them when T is a month's last day, `statement` always.
  const result = calculateTables(rows, config, T, { statements: true });
  const [statement] = result.statements;

  it('is built when asked for, with the monthly row as its totals', () => {
    expect(result.statements.map((s) => [s.company, s.month, s.through])).toEqual([['acme', '2025-02', T]]);
    expect(statement?.totals).toBe(result.usage.monthly.find((r) => r.period === '2025-02'));
    // 144 GPU h of 8064: busy 32 × 50 % + 80 × 75 % = 16 + 60 = 76; unmeasured 32; idle 8064 − 144 = 7920.
    expect(statement?.totals).toMatchObject({
      assignedGpuHour: 8064,
      totalGpuHour: 144,
      busyGpuHour: 76,
      unmeasuredGpuHour: 32,
      idleGpuHour: 7920,
      nRuns: 3,
    });
  });

  it('holds the schedule, projects, users, the duplicate-init group and the days without use', () => {
    expect(statement?.schedule).toEqual([
      { from: '2025-02-01', nodes: 1 },
      { from: '2025-02-15', nodes: 2 },
    ]);
    expect(statement?.projects).toEqual([
      { name: 'vision', gpuHour: 80, busyGpuHour: 60, nRuns: 1 },
      { name: 'llm', gpuHour: 64, busyGpuHour: 16, nRuns: 2 },
    ]);
    // Most GPU-hours first.
    expect(statement?.users).toEqual([
      { name: 'ben', gpuHour: 80, busyGpuHour: 60, nRuns: 1 },
      { name: 'aiko', gpuHour: 64, busyGpuHour: 16, nRuns: 2 },
    ]);
    expect(statement?.duplicates.map((g) => [g.host, g.runIds])).toEqual([['node-1', ['r1', 'r2']]]);
    // 28 grid days, 2 with use.
    expect(statement?.daysWithoutUse).toHaveLength(26);
    expect(statement?.daysWithoutUse).not.toContain('2025-02-03');
  });

  it('writes its totals under the monthly table’s labels and its runs’ overlap in local time', () => {
    const table = statementTable(statement!);
    const lines = table.rows.map((r) => [r[0], r[1], r[2]]);
    expect(lines).toContainEqual(['total', '合計GPU使用時間(h)', 144]);
    expect(lines).toContainEqual(['total', '実効GPU稼働率(%)', 0.9]);
    expect(table.rows.find((r) => r[0] === 'duplicate_init')?.[5]).toBe(
      'acme-team llm: r1, r2 (2025-02-03T12:00:00 – 2025-02-03T14:00:00)',
    );
  });

  it('is not built unless asked for', () => {
    expect(calculateTables(rows, config, '2025-02-27' as IsoDate).statements).toEqual([]);
    expect(calculateTables(rows, config, T).statements).toEqual([]);
    expect(
      calculateTables(rows, config, '2025-02-27' as IsoDate, { statements: true }).statements,
    ).toHaveLength(1);
  });
});
