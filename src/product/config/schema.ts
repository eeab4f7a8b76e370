import picomatch from 'picomatch';
import { z } from 'zod';
import { isIsoDate, isTimeZone } from '../shared/dates.js';
import { MAX_CONCURRENCY, MAX_METRICS_SAMPLES } from './limits.js';
import { attachNamePattern, compileNamePattern } from './name-pattern.js';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

const isoDate = z.string().refine(isIsoDate, { message: 'must be a calendar date YYYY-MM-DD' });
const nonEmpty = z.string().trim().min(1, { message: 'must not be empty' });
const positiveInt = z.number().int().positive();

/** One or more dotted paths; the first that yields a positive integer wins. */
const paths = z.union([nonEmpty, z.array(nonEmpty).min(1)]);

/** An RE2 pattern with a capture group (config/name-pattern.ts says why RE2). */
const regexWithGroup = nonEmpty.superRefine((text, ctx) => {
  const compiled = compileNamePattern(text);
  if (!compiled.ok) ctx.addIssue({ code: 'custom', message: compiled.message });
});

/**
 * A project glob, compiled as the tracker does but strictly: picomatch otherwise reads an unclosed
 * bracket as text, and turns a pattern it cannot compile (`[z-a]`, a trailing backslash) into one
 * that matches nothing, so a typo would silently drop every project.
 */
const projectGlob = nonEmpty.superRefine((text, ctx) => {
  try {
    picomatch.makeRe(text, { dot: true, nocase: false, strictBrackets: true, debug: true });
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `invalid glob: ${(error as Error).message}` });
  }
});

const valueSourceSchema = z.union([
  z.strictObject({ config: paths }),
  z.strictObject({ summary: paths }),
  z.strictObject({ name_regex: regexWithGroup }),
]);

const gpuCountRuleSchema = z
  .strictObject({
    from: isoDate.optional(),
    nodes: valueSourceSchema.optional(),
    gpus_per_node: z.union([positiveInt, z.strictObject({ config: paths })]).optional(),
    gpus: valueSourceSchema.optional(),
  })
  .superRefine((rule, ctx) => {
    if ((rule.nodes === undefined) === (rule.gpus === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'a rule needs exactly one of "nodes" or "gpus"' });
    }
    if (rule.gpus !== undefined && rule.gpus_per_node !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['gpus_per_node'], message: 'only applies to a "nodes" rule' });
    }
  })
  // Here rather than on `{name_regex}`: a union reports no issue of a member that has a transform.
  .transform((rule) => {
    for (const source of [rule.nodes, rule.gpus]) if (source !== undefined) compileOnce(source);
    return rule;
  });

/** A valid `name_regex` keeps its compiled pattern (config/name-pattern.ts): compiled per config, not per run. */
function compileOnce(source: z.output<typeof valueSourceSchema>): void {
  if (!('name_regex' in source)) return;
  const compiled = compileNamePattern(source.name_regex);
  if (compiled.ok) attachNamePattern(source, compiled.pattern);
}

const scheduleEntrySchema = z.strictObject({
  date: isoDate,
  assigned_gpu_node: z.number().int().nonnegative(),
});

const companySchema = z.strictObject({
  company: nonEmpty,
  teams: z.array(nonEmpty).min(1),
  schedule: z.array(scheduleEntrySchema).min(1),
  include_project_pattern: projectGlob.optional(),
  ignore_project_pattern: projectGlob.optional(),
  require_gpu_info: z.boolean().default(true),
  default_gpu_count: positiveInt.optional(),
  gpu_count: z.array(gpuCountRuleSchema).default([]),
  // parity: older Python configs carry this flag; the original never reads it.
  distributed_learning: z.boolean().optional(),
});

const wandbTarget = { entity: nonEmpty, project: nonEmpty };

export const configSchema = z.strictObject({
  timezone: nonEmpty
    .refine(isTimeZone, { message: 'must be an IANA time zone, e.g. Asia/Tokyo' })
    .default('Asia/Tokyo'),
  gpus_per_node: positiveInt.default(8),
  week_starts_on: z.enum(WEEKDAYS).default('sunday'),
  enable_alert: z.boolean().default(true),
  ignore_tags: z.array(nonEmpty).default([]),
  wandb_dir: nonEmpty.default('/tmp/wandb'),
  max_workers: positiveInt
    .max(MAX_CONCURRENCY, {
      message: `at most ${MAX_CONCURRENCY} concurrent W&B requests (W&B throttles bursts; the default is 8)`,
    })
    .default(8),
  metrics_samples: positiveInt
    .max(MAX_METRICS_SAMPLES, {
      message: `at most ${MAX_METRICS_SAMPLES} samples per run (a day of system metrics is about 5,760 lines; the default is 1000)`,
    })
    .default(1000),
  dashboard: z.strictObject({
    ...wandbTarget,
    tag_for_latest: nonEmpty.default('latest'),
    // (ext) the W&B Report the job keeps in the dashboard project
    report_title: nonEmpty.default('GPU usage dashboard'),
  }),
  dataset: z.strictObject({
    ...wandbTarget,
    artifact_name: nonEmpty.default('all_runs_data'),
    // parity: the fork's run-existence checker writes deleted runs here; this product marks them in place.
    deleted_runs_artifact_name: nonEmpty.optional(),
  }),
  // parity: an older Python config key, no longer read by the original.
  blacklist: z.strictObject({ ...wandbTarget, artifact_name: nonEmpty }).optional(),
  alerts: z
    .strictObject({
      low_utilization_percent: z.number().min(0).max(100).default(10),
      slack_webhook_url_env: nonEmpty.default('SLACK_WEBHOOK_URL'),
    })
    .default({ low_utilization_percent: 10, slack_webhook_url_env: 'SLACK_WEBHOOK_URL' }),
  // (ext) where the dashboard reaches people; each can be turned off
  report: z
    .strictObject({
      /** The HTML pages logged as W&B media on the Tables runs. */
      page: z.boolean().default(true),
      /** The W&B Report kept in the dashboard project. */
      wandb_report: z.boolean().default(true),
      /** The Slack digest (only when the webhook variable is set). */
      slack_digest: z.boolean().default(true),
    })
    .default({ page: true, wandb_report: true, slack_digest: true }),
  // (ext) the allocation outlook (docs/behaviour.md §13)
  insight: z
    .strictObject({
      /** Projected use of a month's allocation, in percent, below which a company is `at risk`. */
      target_use_percent: z.number().min(0).max(100).default(80),
    })
    .default({ target_use_percent: 80 }),
  cloudwatch: z
    .strictObject({ log_group: nonEmpty.default('/ecs/gpu-dashboard'), region: nonEmpty.optional() })
    .default({ log_group: '/ecs/gpu-dashboard' }),
  companies: z.array(companySchema).min(1),
});

export const WEEKDAY_NAMES = WEEKDAYS;
export type ParsedConfig = z.output<typeof configSchema>;
export type ValueSource = z.output<typeof valueSourceSchema>;
export type GpuCountRule = z.output<typeof gpuCountRuleSchema>;
