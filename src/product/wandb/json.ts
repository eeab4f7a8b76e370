import type { z } from 'zod';
import { WandbResponseError } from './errors.js';

/** Validates a GraphQL `data` object at the boundary; a mismatch is a WandbResponseError naming the path. */
export function parseData<S extends z.ZodType>(operation: string, schema: S, data: unknown): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : '(root)';
  throw new WandbResponseError(operation, `${where}: ${issue?.message ?? 'invalid'}`, {
    cause: parsed.error,
  });
}

/**
 * Parses a JSONString value. Python writes float NaN/Infinity as bare tokens (stdlib json), which are not
 * JSON; they become null rather than failing the whole response.
 */
export function parseJsonString(operation: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    try {
      return JSON.parse(replaceNonFiniteTokens(text));
    } catch (error) {
      throw new WandbResponseError(operation, 'a JSONString value is not JSON', { cause: error });
    }
  }
}

function replaceNonFiniteTokens(text: string): string {
  let out = '';
  let isInString = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (isInString) {
      out += ch;
      if (ch === '\\') {
        out += text[i + 1] ?? '';
        i += 1;
      } else if (ch === '"') isInString = false;
      continue;
    }
    if (ch === '"') isInString = true;
    const token = /^-?(NaN|Infinity)/.exec(text.slice(i, i + 9));
    if (token) {
      out += 'null';
      i += token[0].length - 1;
      continue;
    }
    out += ch;
  }
  return out;
}
