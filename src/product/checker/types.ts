import type { IsoDate } from '../shared/dates.js';

/** The four checks of `check` (docs/behaviour.md §8), in report order. */
export const CHECK_NAMES = ['dashboard', 'job_log', 'anomalies', 'duplicate_init'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** Something on T that needs a human; `kind` is stable (alerts and tests key on it). */
export type Finding = {
  readonly check: CheckName;
  readonly kind: string;
  /** The company (or dashboard tag) the finding is about, when there is one. */
  readonly subject?: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
};

/** How a check ended: `unreachable` when its source (W&B, CloudWatch) could not be read. */
export type CheckStatus = 'ok' | 'findings' | 'unreachable';

export type CheckReport = {
  readonly target_date: IsoDate;
  readonly checked_at: string;
  readonly healthy: boolean;
  readonly checks: Readonly<Record<CheckName, CheckStatus>>;
  readonly findings: readonly Finding[];
  readonly alert: { readonly wandb: boolean; readonly slack: boolean | undefined };
};

/** One check's outcome; a check that cannot reach its source says so in a finding. */
export type CheckOutcome = { readonly status: CheckStatus; readonly findings: readonly Finding[] };

export function outcome(findings: readonly Finding[]): CheckOutcome {
  return { status: findings.length > 0 ? 'findings' : 'ok', findings };
}

export function unreachable(check: CheckName, source: string, error: unknown): CheckOutcome {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    status: 'unreachable',
    findings: [{ check, kind: 'unreachable', message: `cannot read ${source}: ${reason}` }],
  };
}
