import { parseInstant } from '../../seed/datetime.js';
import type { RunRec } from '../store/model.js';
import { FilterError } from './errors.js';

export type RunPredicate = (run: RunRec) => boolean;

const DATE_FIELDS: Record<string, 'createdAt' | 'heartbeatAt' | 'updatedAt'> = {
  createdAt: 'createdAt',
  created_at: 'createdAt',
  heartbeatAt: 'heartbeatAt',
  heartbeat_at: 'heartbeatAt',
  updatedAt: 'updatedAt',
  updated_at: 'updatedAt',
};

/**
 * Compiles W&B's MongoDB-like run filter (the `filters` JSONString, docs/wandb-protocol.md §4.5).
 * Dates compare as instants; `tags: "x"` means "has tag x". Malformed filters raise FilterError.
 */
export function compileRunFilter(filters: unknown): RunPredicate {
  if (filters === null || filters === undefined || filters === '') return () => true;
  let parsed: unknown = filters;
  if (typeof filters === 'string') {
    try {
      parsed = JSON.parse(filters);
    } catch (error) {
      throw new FilterError(`invalid filters JSON: ${filters}`, { cause: error });
    }
  }
  return compileObject(parsed);
}

function compileObject(node: unknown): RunPredicate {
  if (!isRecord(node)) throw new FilterError(`filter must be an object, got ${JSON.stringify(node)}`);
  const parts = Object.entries(node).map(([field, cond]): RunPredicate => {
    if (field === '$and' || field === '$or' || field === '$nor') {
      if (!Array.isArray(cond)) throw new FilterError(`${field} needs an array`);
      const subs = cond.map(compileObject);
      if (field === '$and') return (r) => subs.every((s) => s(r));
      if (field === '$or') return (r) => subs.some((s) => s(r));
      return (r) => !subs.some((s) => s(r));
    }
    if (field.startsWith('$')) throw new FilterError(`unknown operator ${field}`);
    return compileField(field, cond);
  });
  return (r) => parts.every((p) => p(r));
}

function compileField(field: string, cond: unknown): RunPredicate {
  const dateField = DATE_FIELDS[field];
  const get = dateField ? (r: RunRec) => r[dateField] : valueGetter(field);
  const isDate = dateField !== undefined;
  const isList = field === 'tags';
  const operand = (v: unknown): unknown => {
    if (!isDate) return v;
    const ms = parseInstant(v);
    if (ms === undefined) throw new FilterError(`${field}: not an ISO date: ${JSON.stringify(v)}`);
    return ms;
  };
  if (!isRecord(cond) || !Object.keys(cond).some((k) => k.startsWith('$'))) {
    const want = operand(cond);
    return (r) => matchesEq(get(r), want, isList);
  }
  const tests = Object.entries(cond).map(([op, arg]): ((value: unknown) => boolean) => {
    switch (op) {
      case '$eq':
        return (v) => matchesEq(v, operand(arg), isList);
      case '$ne':
        return (v) => !matchesEq(v, operand(arg), isList);
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        return compare(op, operand(arg));
      case '$in':
      case '$nin': {
        if (!Array.isArray(arg)) throw new FilterError(`${field}.${op} needs an array`);
        const wanted = arg.map(operand);
        const hit = (v: unknown) => wanted.some((w) => matchesEq(v, w, isList));
        return op === '$in' ? hit : (v) => !hit(v);
      }
      case '$all':
        if (!Array.isArray(arg)) throw new FilterError(`${field}.$all needs an array`);
        return (v) => arg.every((w) => matchesEq(v, w, isList));
      case '$exists':
        return (v) => (v !== undefined && v !== null) === Boolean(arg);
      case '$regex':
      case '$contains': {
        const re = op === '$regex' ? new RegExp(String(arg)) : undefined;
        return (v) => typeof v === 'string' && (re ? re.test(v) : v.includes(String(arg)));
      }
      default:
        throw new FilterError(`unknown operator ${op} on ${field}`);
    }
  });
  return (r) => {
    const value = get(r);
    return tests.every((t) => t(value));
  };
}

function compare(op: string, arg: unknown): (value: unknown) => boolean {
  return (v) => {
    if (v === null || v === undefined || typeof v !== typeof arg) return false;
    const a = v as number | string;
    const b = arg as number | string;
    if (op === '$gt') return a > b;
    if (op === '$gte') return a >= b;
    if (op === '$lt') return a < b;
    return a <= b;
  };
}

function matchesEq(value: unknown, want: unknown, isList: boolean): boolean {
  if (isList && Array.isArray(value)) return value.includes(want);
  return value === want || (value === undefined && want === null);
}

function valueGetter(field: string): (r: RunRec) => unknown {
  const simple: Record<string, (r: RunRec) => unknown> = {
    name: (r) => r.name,
    displayName: (r) => r.displayName,
    display_name: (r) => r.displayName,
    state: (r) => r.state,
    tags: (r) => r.tags,
    host: (r) => r.host,
    jobType: (r) => r.jobType,
    group: (r) => r.group,
    // The run's user, a documented filter field (docs/wandb-protocol.md §4.5); null for a run without one.
    username: (r) => r.user?.username ?? null,
  };
  const direct = simple[field];
  if (direct) return direct;
  const [root, ...path] = field.split('.');
  if (root === 'config') return (r) => walk(JSON.parse(r.config), path);
  if (root === 'summary_metrics' || root === 'summaryMetrics')
    return (r) => walk(JSON.parse(r.summaryMetrics), path);
  throw new FilterError(`unsupported filter field ${field}`);
}

function walk(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const part of path) current = isRecord(current) ? current[part] : undefined;
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sort for `runs(order:)`: `±created_at`, `±heartbeat_at`, `±updated_at` (and camelCase); ties by name. */
export function runComparator(order: string | null | undefined): (a: RunRec, b: RunRec) => number {
  const text = (order ?? '-created_at').trim();
  const sign = text.startsWith('-') ? -1 : 1;
  const field = DATE_FIELDS[text.replace(/^[+-]/, '')] ?? 'createdAt';
  return (a, b) => sign * (a[field] - b[field] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
