import { describe, expect, it } from 'vitest';
import { calculateTables } from '../../../src/product/calculator/build-tables.js';
import { tableCsv } from '../../../src/product/calculator/table-csv.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import { makeConfig, makeRunDay } from '../../helpers/builders.js';

// T = Thu 2025-01-09; T's week (Sunday start) is Jan 5 – Jan 9.
const T = '2025-01-09' as IsoDate;
const config = makeConfig({
  ignore_tags: ['others_gpu'],
  companies: [
    {
      company: 'alpha',
      teams: ['alpha-team', 'alpha-2'],
      schedule: [{ date: '2024-12-01', assigned_gpu_node: 4 }],
    },
  ],
});

const run = (
  runId: string,
  date: string,
  created: string,
  updated: string,
  extra: Parameters<typeof makeRunDay>[0] | object = {},
) =>
  makeRunDay({
    date,
    company_name: 'alpha-team',
    project: 'P',
    run_id: runId,
    host_name: 'h1',
    created_at: `2025-01-06T${created}:00.000000`,
    updated_at: `2025-01-06T${updated}:00.000000`,
    ...extra,
  });

// Given out of order on purpose: the summary must order runs by created_at itself.
const rows = [
  run('s4', '2025-01-06', '13:30', '14:00', { duration_hour: 0.3333333, gpu_count: 8 }), // after s3 ended at 13:00: no overlap
  run('s3', '2025-01-06', '11:45', '13:00', { duration_hour: 1.25, gpu_count: 8 }), // before s1's 12:00 (not s2's 11:30): overlap
  run('s1', '2025-01-06', '10:00', '12:00', { duration_hour: 2, gpu_count: 8 }),
  run('s1', '2025-01-07', '10:00', '12:00', { duration_hour: 1, gpu_count: 16 }), // one row over 8 GPUs makes s1 a master-node run
  run('s2', '2025-01-06', '11:00', '11:30', { duration_hour: 0.5, gpu_count: 8 }), // starts inside s1: overlap
  run('s5', '2025-01-06', '10:30', '11:00', {
    duration_hour: 0.5,
    gpu_count: 8,
    host_name: 'h2',
    tags: ['Others_GPU'],
  }), // other host; ignore-tagged still counted
  // Not in the summary: before the week, after T, deleted, unknown team.
  run('s1', '2025-01-04', '10:00', '12:00', { duration_hour: 5, gpu_count: 16 }),
  run('s7', '2025-01-10', '10:00', '12:00', { duration_hour: 5 }),
  run('s6', '2025-01-07', '09:00', '15:00', { duration_hour: 5, extra: { run_exists: 'deleted' } }),
  run('x1', '2025-01-07', '09:00', '15:00', { duration_hour: 5, company_name: 'ghost' }),
  // 1.005 h × 1 GPU rounds half up to 1.01 (binary floating point alone would give 1.00).
  makeRunDay({
    date: '2025-01-09',
    company_name: 'alpha-2',
    project: 'Q',
    run_id: 'q1',
    duration_hour: 1.005,
    gpu_count: 1,
  }),
];

describe('summary table', () => {
  const result = calculateTables(rows, config, T);

  it('per team and project over T’s week: hours, runs, master-node, overlap and ignore counts', () => {
    // P: 2·8 + 1·16 + 0.5·8 + 1.25·8 + 0.3333333·8 + 0.5·8 = 16 + 16 + 4 + 10 + 2.6666664 + 4 = 52.6666664 → 52.67
    expect(result.summary).toEqual([
      {
        team: 'alpha-2',
        company: 'alpha',
        project: 'Q',
        totalHours: 1.01,
        totalRuns: 1,
        masterNodeRuns: 0,
        overlapRuns: 0,
        ignoreRuns: 0,
      },
      {
        team: 'alpha-team',
        company: 'alpha',
        project: 'P',
        totalHours: 52.67,
        totalRuns: 5,
        masterNodeRuns: 1,
        overlapRuns: 2,
        ignoreRuns: 1,
      },
    ]);
  });

  it('writes the summary CSV with the columns of docs/behaviour.md §6 and 2 decimals for hours', () => {
    expect(tableCsv(result.tables.summary)).toBe(
      [
        'company_name,project,Total hours,Total runs,master_node_runs,overlap_runs,ignore_runs',
        'alpha-2,Q,1.01,1,0,0,0',
        'alpha-team,P,52.67,5,1,2,1',
        '',
      ].join('\n'),
    );
  });
});
