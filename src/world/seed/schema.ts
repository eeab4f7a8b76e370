// The seed-file format, declared once: the local W&B server validates a seed with it, and the fleet
// generator's types (types.ts) are checked against it at compile time. DateTimes are UTC
// 'YYYY-MM-DDTHH:MM:SS' without a zone suffix, as W&B returns them.
import { z } from 'zod';
import { parseInstant } from './datetime.js';

const instant = z.string().refine((s) => parseInstant(s) !== undefined, 'not an ISO date-time');
const jsonObject = z.record(z.string(), z.unknown());

/** The fleet generator's compact events stream (metrics-pattern.ts computes its lines). */
export const metricsPatternSchema = z.object({
  start: z.number(),
  end: z.number(),
  intervalSec: z.number().positive(),
  gpus: z.number().int().min(0),
  seed: z.number(),
  labelSuffix: z.string().nullable().default(null),
  memoryAllocated: z.boolean().default(false),
  util: z.object({
    /** Mean GPU utilisation over a day. */
    base: z.number(),
    /** Half the day/night swing: utilisation peaks at base + amplitude at `peakHour` local time. */
    amplitude: z.number(),
    /** Local hour (0–24) of the daily peak. */
    peakHour: z.number(),
    /** Uniform noise of ± noise around the smooth curve. */
    noise: z.number(),
    /** Memory-access utilisation = memBase + memPerUtil × utilisation (± noise / 2). */
    memBase: z.number(),
    memPerUtil: z.number(),
  }),
  zone: z.string().min(1),
});

export const seedRunSchema = z.object({
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
  systemMetricsPattern: metricsPatternSchema.optional(),
});

const seedArtifact = z.object({
  entity: z.string().min(1),
  project: z.string().min(1),
  name: z.string().min(1),
  type: z.string().min(1),
  /** file name -> a path relative to the seed file when such a file exists, else the literal text. */
  files: z.record(z.string(), z.string()),
});

/** The seed file: what the local server reads (`local-server --seed`) and the fleet generator writes. */
export const seedSchema = z.object({
  entities: z.array(z.object({ name: z.string().min(1) })).default([]),
  /** viewer.entity for the API key; defaults to the first entity. */
  viewer: z.string().min(1).optional(),
  projects: z
    .array(z.object({ entity: z.string().min(1), name: z.string().min(1), createdAt: instant.optional() }))
    .default([]),
  runs: z.array(seedRunSchema).default([]),
  artifacts: z.array(seedArtifact).default([]),
});

export type Seed = z.infer<typeof seedSchema>;
export type SeedInput = z.input<typeof seedSchema>;
export type SeedRun = z.infer<typeof seedRunSchema>;
