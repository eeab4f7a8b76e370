import { parseDocument } from 'yaml';
import type { Config } from '../../product/config/types.js';
import { ConfigError, validateConfig } from '../../product/index.js';
import { addDays, daysBetween, type IsoDate, isIsoDate, localDateOf } from '../../product/shared/dates.js';

/** The last of the 14 days demo/config.yaml's dates are written for; the demo shifts them to end yesterday. */
export const DEMO_ANCHOR_DATE = '2025-01-31' as IsoDate;

/** Days the demo replays, one nightly job each, ending on its target date. */
export const DEMO_DAYS = 14;

export type DemoConfig = {
  readonly config: Config;
  /** Days every date of the file was moved by. */
  readonly shiftDays: number;
  /** The last demo day: yesterday in the config's time zone. */
  readonly end: IsoDate;
};

/**
 * Parses the demo config and moves every date in it (schedule dates and gpu_count `from`) by
 * the days from DEMO_ANCHOR_DATE to yesterday (in the config's time zone, at `now`), so the
 * schedule changes land on the same demo day whatever day the demo runs. Invalid text throws
 * ConfigError (exit 2).
 */
export function loadDemoConfig(text: string, source: string, now: Date): DemoConfig {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.map((e) => ({ path: `line ${e.linePos?.[0]?.line ?? 0}`, message: e.message })),
    );
  }
  const raw: unknown = doc.toJS();
  const asWritten = validateConfig(raw);
  if (!asWritten.ok) throw new ConfigError(source, asWritten.issues);
  const end = addDays(localDateOf(now, asWritten.value.timezone), -1);
  const shiftDays = daysBetween(DEMO_ANCHOR_DATE, end);
  const shifted = validateConfig(shiftDates(raw, shiftDays));
  if (!shifted.ok) throw new ConfigError(source, shifted.issues);
  return { config: shifted.value, shiftDays, end };
}

/** A copy of a parsed config with every company's dates moved by `days` (other values untouched). */
export function shiftDates(raw: unknown, days: number): unknown {
  if (!isRecord(raw) || !Array.isArray(raw.companies)) return raw;
  const move = (value: unknown) =>
    typeof value === 'string' && isIsoDate(value) ? addDays(value, days) : value;
  return {
    ...raw,
    companies: raw.companies.map((company: unknown) => {
      if (!isRecord(company)) return company;
      const shifted: Record<string, unknown> = { ...company };
      if (Array.isArray(company.schedule)) {
        shifted.schedule = company.schedule.map((e: unknown) =>
          isRecord(e) ? { ...e, date: move(e.date) } : e,
        );
      }
      if (Array.isArray(company.gpu_count)) {
        shifted.gpu_count = company.gpu_count.map((r: unknown) =>
          isRecord(r) && 'from' in r ? { ...r, from: move(r.from) } : r,
        );
      }
      return shifted;
    }),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
