import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InputError } from '../../product/shared/errors.js';
import { parseInstant } from './datetime.js';

const instant = z.string().refine((s) => parseInstant(s) !== undefined, 'not an ISO date-time');
const jsonObject = z.record(z.string(), z.unknown());

/** The fleet generator's compact events stream (src/fleet/types.ts MetricsPattern). */
const metricsPattern = z.object({
  start: z.number(),
  end: z.number(),
  intervalSec: z.number().positive(),
  gpus: z.number().int().min(0),
  seed: z.number(),
  labelSuffix: z.string().nullable().default(null),
  memoryAllocated: z.boolean().default(false),
  util: z.object({
    base: z.number(),
    amplitude: z.number(),
    peakHour: z.number(),
    noise: z.number(),
    memBase: z.number(),
    memPerUtil: z.number(),
  }),
  zone: z.string().min(1),
});

const seedRun = z.object({
  entity: z.string().min(1),
  project: z.string().min(1),
  name: z.string().min(1),
  displayName: z.string().nullish(),
  description: z.string().nullish(),
  state: z.string().default('finished'),
  tags: z.array(z.string()).default([]),
  host: z.string().nullish(),
  createdAt: instant,
  heartbeatAt: instant,
  /** Defaults to heartbeatAt. */
  updatedAt: instant.optional(),
  runInfo: z
    .object({
      gpu: z.string().nullish(),
      gpuCount: z.number().int().nullish(),
      cpuCount: z.number().int().nullish(),
    })
    .nullish(),
  /**
   * Who ran it (`Run.user`). Absent: the API key's user (the viewer), as for a run the key creates and
   * as the server always answered; null: a run W&B names no user for (`user: null`).
   */
  user: z
    .object({ username: z.string().min(1), name: z.string().min(1).optional() })
    .nullable()
    .optional(),
  config: jsonObject.default({}),
  summaryMetrics: jsonObject.default({}),
  /** Rows of the events stream (wandb-events.jsonl), each with `_timestamp` in seconds. */
  systemMetrics: z.array(jsonObject).default([]),
  /** Extension for large fleets: the events stream as a pattern computed on demand (instead of systemMetrics). */
  systemMetricsPattern: metricsPattern.optional(),
});

const seedArtifact = z.object({
  entity: z.string().min(1),
  project: z.string().min(1),
  name: z.string().min(1),
  type: z.string().min(1),
  /** file name -> a path relative to the seed file when such a file exists, else the literal text. */
  files: z.record(z.string(), z.string()),
});

/** The seed file format shared with the fleet generator (src/world/seed/types.ts). */
export const seedSchema = z.object({
  entities: z.array(z.object({ name: z.string().min(1) })).default([]),
  /** viewer.entity for the API key; defaults to the first entity. */
  viewer: z.string().min(1).optional(),
  projects: z
    .array(z.object({ entity: z.string().min(1), name: z.string().min(1), createdAt: instant.optional() }))
    .default([]),
  runs: z.array(seedRun).default([]),
  artifacts: z.array(seedArtifact).default([]),
});

export type Seed = z.infer<typeof seedSchema>;
export type SeedInput = z.input<typeof seedSchema>;
export type SeedRun = z.infer<typeof seedRun>;

export type SeedResult = { ok: true; value: Seed } | { ok: false; issues: string[] };

/** Validates parsed seed JSON; each issue names its JSON path (`runs.3.createdAt: not an ISO date-time`). */
export function validateSeed(json: unknown): SeedResult {
  const parsed = seedSchema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
  };
}

/** Reads and validates a seed file; any problem is an InputError (exit 2) naming the file and the path. */
export async function readSeedFile(path: string): Promise<Seed> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(path, 'cannot read seed file', {}, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(path, `seed file is not JSON: ${(error as Error).message}`, {}, { cause: error });
  }
  const result = validateSeed(json);
  if (!result.ok) throw new InputError(path, `invalid seed: ${result.issues.slice(0, 5).join('; ')}`);
  return result.value;
}
