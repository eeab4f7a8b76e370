import { describe, expect, it } from 'vitest';
import { type PythonRun, pythonCallPattern, type SdkCosts } from '../../bench/python-call-pattern.js';

const COSTS: SdkCosts = {
  session: 10,
  artifactWrite: 5,
  artifactRead: 4,
  tableLog: 2,
  tablePerTable: 1,
  apiInit: 2,
  runUpdate: 3,
};

const run = (createdDate: string, heartbeatDate: string, over: Partial<PythonRun> = {}): PythonRun => ({
  createdDate,
  heartbeatDate,
  hasRunInfo: true,
  hasGpuName: true,
  ...over,
});

describe('pythonCallPattern', () => {
  it('counts listing, every page of every kept project, two per counted run and publishing (hand-computed)', () => {
    const result = pythonCallPattern({
      range: { start: '2025-01-10', end: '2025-01-10' },
      costs: COSTS,
      latestBefore: ['overall', 'B', 'A'],
      companies: [
        {
          // Window [01-01, 03-01], nodes on 01-10: listed, and a company run.
          company: 'A',
          schedule: [
            { date: '2025-01-01', nodes: 2 },
            { date: '2025-03-01', nodes: 0 },
          ],
          teams: [
            {
              projectCount: 3,
              isGpuNameRequired: true,
              keptProjects: [
                // 1,001 runs: 2 pages + the empty one; only the last run touches 01-10.
                [
                  ...Array.from({ length: 1000 }, () => run('2025-01-05', '2025-01-05')),
                  run('2025-01-09', '2025-01-10'),
                ],
                [
                  run('2025-01-10', '2025-01-10', { hasRunInfo: false }),
                  run('2025-01-10', '2025-01-10', { hasGpuName: false }),
                  run('2025-01-10', '2025-01-10'), // zero-length counts in the original
                  run('2025-01-10', '2025-01-11'),
                ],
              ],
            },
          ],
        },
        {
          // Window ended 12-31: not listed, no company run; its latest run keeps the tag.
          company: 'B',
          schedule: [
            { date: '2024-06-01', nodes: 4 },
            { date: '2024-12-31', nodes: 0 },
          ],
          teams: [
            { projectCount: 5, isGpuNameRequired: true, keptProjects: [[run('2025-01-10', '2025-01-10')]] },
          ],
        },
        {
          // Open window from 01-01, nodes from 01-05; no GPU name needed; 250 projects = 2 pages.
          company: 'C',
          schedule: [
            { date: '2025-01-01', nodes: 0 },
            { date: '2025-01-05', nodes: 1 },
          ],
          teams: [
            {
              projectCount: 250,
              isGpuNameRequired: false,
              keptProjects: [
                [run('2025-01-10', '2025-01-10', { hasGpuName: false }), run('2024-12-20', '2024-12-31')],
              ],
            },
          ],
        },
        {
          // Allocation starts after the range.
          company: 'D',
          schedule: [{ date: '2025-01-11', nodes: 3 }],
          teams: [
            { projectCount: 1, isGpuNameRequired: true, keptProjects: [[run('2025-01-10', '2025-01-12')]] },
          ],
        },
      ],
    });
    expect(result.teamsListed).toBe(2);
    expect(result.countedRuns).toBe(4);
    expect(result.companyRuns).toBe(2);
    expect(result.requests).toEqual({
      projectPages: 1 + 2 + 2, // A, C, and the Api's first queries
      runPages: 2 + 1 + 1,
      emptyRunPages: 3,
      perRun: 8,
      // Fetch Runs 10; read 10+4; write 10+5; retag: api 2 + 1 page + 2×3 (overall, A);
      // overall 10+2+4; A and C 2×(10+2+5).
      publishing: 10 + 14 + 15 + 2 + 1 + 6 + 16 + 34,
    });
    expect(result.total).toBe(5 + 4 + 3 + 8 + 98);
    expect(result.latestAfter).toEqual(['overall', 'B', 'A', 'C']);
  });

  it('with no companies, publishes the overall run only (measured SDK costs)', () => {
    const result = pythonCallPattern({
      range: { start: '2025-01-10', end: '2025-01-10' },
      companies: [],
      latestBefore: [],
    });
    // 11 + (11+7) + (11+9) + 2 + 1 + (11+6+4×7)
    expect(result.total).toBe(97);
    expect(result.latestAfter).toEqual(['overall']);
  });
});
