// The small hand-made world of the run integration tests: one company, four runs, a prior dataset.
import { runCliCaptured } from './run-cli.js';
import { makeWorld, type World } from './world.js';
// A canary key: it must never appear in any output or uploaded file.
export const CANARY = 'canary-key-7f3a9c2e5b1d4f6a8c0e2b4d6f8a0c2e4b6d8f0a';
export const CONFIG = `
timezone: Asia/Tokyo
ignore_tags: [other_gpu]
dashboard: { entity: dash, project: board, tag_for_latest: latest }
dataset: { entity: dash, project: board, artifact_name: all_runs_data }
alerts: { low_utilization_percent: 10 }
companies:
  - company: alpha
    teams: [alpha-team]
    schedule: [{ date: "2025-01-08", assigned_gpu_node: 1 }]
`;
// The prior dataset, in the Python fork's polars layout (cpu_count mid-file, run_exists last).
const PRIOR = `date,company_name,project,run_id,tags,created_at,updated_at,state,duration_hour,gpu_count,cpu_count,average_gpu_utilization,average_gpu_memory,max_gpu_utilization,max_gpu_memory,host_name,logged_at,run_exists
2025-01-08,alpha-team,llm,r0,[],2025-01-08T10:00:00.000000,2025-01-08T20:00:00.000000,finished,10.0,8,32,,,,,node-1,2025-01-09T00:15:00.000000,exists
`;
const gpu = { gpu: 'NVIDIA H100 80GB HBM3', gpuCount: 8, cpuCount: 32 };
const run = (name: string, host: string, createdAt: string, heartbeatAt: string, extra: object = {}) => ({
  entity: 'alpha-team',
  project: 'llm',
  name,
  displayName: name,
  state: 'finished',
  tags: [],
  host,
  createdAt,
  heartbeatAt,
  runInfo: gpu,
  config: {},
  summaryMetrics: {},
  systemMetrics: [],
  ...extra,
});
export const SEED = {
  entities: [{ name: 'alpha-team' }, { name: 'dash' }],
  projects: [
    { entity: 'alpha-team', name: 'llm', createdAt: '2025-01-01T00:00:00' },
    { entity: 'dash', name: 'board', createdAt: '2025-01-01T00:00:00' },
  ],
  runs: [
    // 09:00–15:00 JST Jan 9: 6 h × 8 GPUs = 48 GPU h; one sample: util (50 + 70) / 2 = 60, memory (20 + 30) / 2 = 25.
    run('r1', 'node-1', '2025-01-09T00:00:00', '2025-01-09T06:00:00', {
      systemMetrics: [
        {
          _timestamp: Date.parse('2025-01-09T01:00:00Z') / 1000,
          _wandb: true,
          'system.gpu.0.gpu': 50,
          'system.gpu.1.gpu': 70,
          'system.gpu.0.memory': 20,
          'system.gpu.1.memory': 30,
        },
      ],
    }),
    // No GPU info: not counted.
    run('r2', 'node-2', '2025-01-09T00:00:00', '2025-01-09T06:00:00', { runInfo: null }),
    // Duplicate init on node-9: 2 h and 1 h × 8 GPUs = 24 GPU h, no metrics.
    run('r3', 'node-9', '2025-01-09T02:00:00', '2025-01-09T04:00:00'),
    run('r4', 'node-9', '2025-01-09T02:00:00', '2025-01-09T03:00:00'),
  ],
  artifacts: [
    {
      entity: 'dash',
      project: 'board',
      name: 'all_runs_data',
      type: 'dataset',
      files: { 'all_runs_data.csv': PRIOR },
    },
  ],
};

/** `gpu-dashboard run` over Jan 9 of the world above, in `dir` (which holds config.yaml), against `baseUrl`. */
export function runWorldJob(
  dir: string,
  baseUrl: string,
  out: string,
  extra: string[] = [],
  env: Record<string, string> = {},
) {
  return runCliCaptured(
    [
      'run',
      '--config',
      'config.yaml',
      '--start-date',
      '2025-01-09',
      '--end-date',
      '2025-01-09',
      '--out',
      out,
      ...extra,
    ],
    { cwd: dir, env: { WANDB_BASE_URL: baseUrl, WANDB_API_KEY: CANARY, ...env } },
  );
}

/** The world above (or one with its own config or seed) in a fresh folder, served with the canary key. */
export function makeJobWorld(name: string, config: string = CONFIG, seed: object = SEED): Promise<World> {
  return makeWorld({ name, config, seed, apiKey: CANARY });
}
