/**
 * Upper bounds on what a config or a flag may ask for (docs/behaviour.md §2): values past them validate as
 * numbers but cannot work, so they are refused (exit 2) rather than tried.
 */

/**
 * Bytes read of a config (file or S3 object) before it is refused: a real one is a few KB of YAML, so
 * anything past 1 MiB is the wrong file (`--config /dev/zero` would otherwise grow without end).
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * `metrics_samples` at most. The SDKs write a system-metrics line every 15 s or so (5,760 a day), W&B
 * advises under 10,000 points per line and thins lines past 1,000 points for its own charts
 * (https://docs.wandb.ai/support/models/articles/what-happens-when-i-log-millions-of-step.md), and one
 * events request holds 10 runs × this many lines: a larger value only grows each response.
 */
export const MAX_METRICS_SAMPLES = 10_000;

/**
 * W&B requests in flight at most (`max_workers`, `run --concurrency`). The default is 8; W&B answers a
 * burst with 429 (the client backs off), and each request in flight may hold an events batch in memory.
 */
export const MAX_CONCURRENCY = 64;

/**
 * A `name_regex` at most: this many characters, and an RE2 program of this many instructions (what
 * matching costs per character of a run name). The patterns in use are under 20 characters and 30
 * instructions; past these bounds a pattern costs seconds to compile or per long run description.
 */
export const MAX_NAME_REGEX_CHARS = 1000;
export const MAX_NAME_REGEX_PROGRAM = 1000;
