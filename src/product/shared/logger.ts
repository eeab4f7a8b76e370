import type { Writable } from 'node:stream';
import type { Clock } from './clock.js';
import { stripControl } from './inert-text.js';
import { createRedactor, redactUrlCredentials } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export type Logger = {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
};

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export const LOG_LEVELS = Object.keys(LEVEL_RANK) as readonly LogLevel[];

/** A level name as LOG_LEVEL gives it (any case), or undefined when it names none. */
export function parseLogLevel(text: string): LogLevel | undefined {
  const name = text.trim().toLowerCase();
  return Object.hasOwn(LEVEL_RANK, name) ? (name as LogLevel) : undefined;
}

export type LoggerOptions = {
  stream: Writable;
  clock: Clock;
  /** JSON lines (CloudWatch) unless the stream is a terminal. */
  format: 'json' | 'pretty';
  level?: LogLevel;
  /** Strings that must never be written (the W&B API key); replaced wherever they occur. */
  secrets?: readonly string[];
};

/**
 * Levelled logger writing one line per event; secrets are masked in every line it writes, and so is the
 * userinfo of any URL in a field (`scheme://[redacted]@host`).
 */
export function createLogger(options: LoggerOptions): Logger {
  const minRank = LEVEL_RANK[options.level ?? 'info'];
  const redact = createRedactor(options.secrets ?? []);

  const write = (level: LogLevel, event: string, fields: LogFields = {}): void => {
    if (LEVEL_RANK[level] < minRank) return;
    const time = options.clock.now().toISOString();
    const line =
      options.format === 'json'
        ? JSON.stringify({ time, level, event, ...fields }, jsonReplacer)
        : `${time.slice(11, 19)} ${level.padEnd(5)} ${event}${formatPretty(fields)}`;
    options.stream.write(`${redact(line)}\n`);
  };
  return {
    debug: (e, f) => write('debug', e, f),
    info: (e, f) => write('info', e, f),
    warn: (e, f) => write('warn', e, f),
    error: (e, f) => write('error', e, f),
  };
}

/** Records events in memory; for tests. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Strings are redacted before JSON.stringify escapes them, while a URL's end (a line break) is still
 * itself; the whole line is redacted again after (createRedactor).
 */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return redactUrlCredentials(value);
  if (value instanceof Error) {
    return {
      name: value.name,
      message: value.message,
      ...(value.cause ? { cause: String(value.cause) } : {}),
    };
  }
  return value;
}

/**
 * `key=value` pairs for a terminal. Values carry W&B names and error messages, so control characters and
 * escape sequences are stripped (docs/behaviour.md §8); JSON lines need not: JSON.stringify escapes them.
 */
function formatPretty(fields: LogFields): string {
  const parts = Object.entries(fields).map(([k, v]) => {
    const text = typeof v === 'string' ? v : JSON.stringify(v, jsonReplacer);
    return `${stripControl(k)}=${stripControl(String(text))}`;
  });
  return parts.length ? ` ${parts.join(' ')}` : '';
}
