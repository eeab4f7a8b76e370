// The tasks' memory, set from measured peaks: `npm run bench -- aged` (bench/aged-bench.ts) runs the
// large fleet's nightly and `check` on a month's, a year's and three years' history and fails its
// target when a peak leaves less than HEADROOM of these limits unused (BENCHMARKS.md has the figures).

/** ECS task memory (MiB) of the nightly `run` and the morning `check`. */
export const TASK_MEMORY_MIB = { job: 2048, check: 512 } as const;

/**
 * A limit must be at least this multiple of the measured peak RSS: a quarter to spare, as in the ceilings
 * the history's benchmarks hold the tasks to (≤ 400 MB for check's 512 MiB, ≤ 1 GB for the job's 2 GiB).
 */
export const HEADROOM = 1.25;
