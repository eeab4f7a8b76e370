import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SeedInput } from '../../src/world/local-wandb/seeding/read-seed.js';

export const ENTITY = 'abeja-geniac';

/** Five event rows with GPU utilisation 10, 20, 30, 40, 50. */
export const EVENTS = [10, 20, 30, 40, 50].map((gpu, i) => ({
  _timestamp: 1730592900 + i * 30,
  _runtime: i * 30,
  _wandb: true,
  'system.gpu.0.gpu': gpu,
}));

export const SEED: SeedInput = {
  entities: [{ name: ENTITY }, { name: 'geniac-gpu' }],
  projects: [
    { entity: ENTITY, name: 'gpu-info-llm', createdAt: '2024-10-25T01:02:03' },
    { entity: ENTITY, name: 'second', createdAt: '2024-10-26T00:00:00' },
  ],
  runs: [
    {
      entity: ENTITY,
      project: 'gpu-info-llm',
      name: 'a1b2c3d4',
      displayName: 'run-1',
      state: 'finished',
      tags: ['x', 'latest'],
      host: 'node-01',
      createdAt: '2024-11-03T00:15:00',
      heartbeatAt: '2024-11-03T05:00:00',
      runInfo: { gpu: 'NVIDIA H100 80GB HBM3', gpuCount: 8, cpuCount: 96 },
      config: { num_nodes: { value: 2 } },
      summaryMetrics: { loss: 0.5 },
      systemMetrics: EVENTS,
    },
    {
      entity: ENTITY,
      project: 'gpu-info-llm',
      name: 'e5f6g7h8',
      displayName: 'run-2',
      state: 'crashed',
      tags: ['y'],
      host: 'node-02',
      createdAt: '2024-11-04T10:00:00Z',
      heartbeatAt: '2024-11-04T12:30:00.250Z',
      updatedAt: '2024-11-04T13:00:00',
      runInfo: null,
    },
    {
      entity: ENTITY,
      project: 'gpu-info-llm',
      name: 'i9j0k1l2',
      state: 'running',
      createdAt: '2024-11-05T00:00:00',
      heartbeatAt: '2024-11-05T01:00:00',
    },
  ],
  artifacts: [
    {
      entity: 'geniac-gpu',
      project: 'gpu-dashboard2',
      name: 'all_runs_data',
      type: 'dataset',
      files: { 'all_runs_data.csv': 'a,b\n1,2\n' },
    },
    {
      entity: 'geniac-gpu',
      project: 'gpu-dashboard2',
      name: 'all_runs_data',
      type: 'dataset',
      files: { 'all_runs_data.csv': 'a,b\n1,2\n3,4\n' },
    },
  ],
};

export async function writeSeed(dir: string, seed: SeedInput = SEED): Promise<string> {
  const path = join(dir, 'seed.json');
  await writeFile(path, JSON.stringify(seed));
  return path;
}

/** A GraphQL document from test/fixtures/wandb-sdk-graphql/ (the Python SDK's own text). */
export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/wandb-sdk-graphql/${name}.graphql`, import.meta.url), 'utf8');
}
