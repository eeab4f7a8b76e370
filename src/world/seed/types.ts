/**
 * What the fleet generator writes into a seed file: the format is declared once, in schema.ts; these
 * types are the generator's stricter view of it (every field written), checked at compile time to be
 * seeds the schema accepts (`SeedAccepts` below).
 */
import type { z } from 'zod';
import type { metricsPatternSchema, seedRunSchema, seedSchema } from './schema.js';

/** Parameters of the diurnal utilisation model of metrics-pattern.ts (all in percent / hours). */
export type UtilModel = MetricsPattern['util'];

/**
 * A compact description of a run's events stream, for fleets too large to inline every sample.
 * Line i of the stream is `patternRows(p, [i])[0]`; there are `patternLineCount(p)` lines.
 */
export type MetricsPattern = z.infer<typeof metricsPatternSchema>;

export type EventRow = Readonly<Record<string, number | boolean>>;

export type RunInfo = { readonly gpu: string; readonly gpuCount: number; readonly cpuCount: number };

/** A run's W&B user (`Run.user`): `name` (the display name) defaults to `username`. */
export type SeedUser = { readonly username: string; readonly name?: string };

export type SeedRun = {
  readonly entity: string;
  readonly project: string;
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly state: string;
  readonly tags: readonly string[];
  readonly host: string;
  readonly createdAt: string;
  readonly heartbeatAt: string;
  readonly updatedAt: string;
  readonly runInfo: RunInfo | null;
  /** Absent: the seed's viewer (the API key's user) ran it; null: W&B names no user (`user: null`). */
  readonly user?: SeedUser | null;
  readonly config: Readonly<Record<string, unknown>>;
  readonly summaryMetrics: Readonly<Record<string, unknown>>;
} & ({ readonly systemMetrics: readonly EventRow[] } | { readonly systemMetricsPattern: MetricsPattern });

export type SeedProject = { readonly entity: string; readonly name: string; readonly createdAt: string };

export type SeedHeader = {
  readonly entities: readonly { readonly name: string }[];
  readonly viewer: string;
  readonly projects: readonly SeedProject[];
};

/** Read-only all the way down: the generator's types are readonly, the schema's input types are not. */
type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** Compiles only when what the generator writes is a seed the schema reads. */
type Accepts<Input, Written extends DeepReadonly<Input>> = Written;
export type SeedAccepts = [
  Accepts<z.input<typeof seedRunSchema>, SeedRun>,
  Accepts<z.input<typeof seedSchema>['projects'] extends (infer P)[] | undefined ? P : never, SeedProject>,
  Accepts<Omit<z.input<typeof seedSchema>, 'runs' | 'artifacts'>, SeedHeader>,
];
