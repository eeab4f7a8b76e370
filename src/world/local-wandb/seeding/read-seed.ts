import { readFile } from 'node:fs/promises';
import { InputError } from '../../../product/shared/errors.js';
import { type Seed, seedSchema } from '../../seed/schema.js';

export type { Seed, SeedInput, SeedRun } from '../../seed/schema.js';

export type SeedResult = { ok: true; value: Seed } | { ok: false; issues: string[] };

/** Validates parsed seed JSON; each issue names its JSON path (`runs.3.createdAt: not an ISO date-time`). */
export function validateSeed(json: unknown): SeedResult {
  const parsed = seedSchema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
  };
}

/** Reads and validates a seed file; any problem is an InputError (exit 2) naming the file and the path. */
export async function readSeedFile(path: string): Promise<Seed> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(path, 'cannot read seed file', {}, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(path, `seed file is not JSON: ${(error as Error).message}`, {}, { cause: error });
  }
  const result = validateSeed(json);
  if (!result.ok) throw new InputError(path, `invalid seed: ${result.issues.slice(0, 5).join('; ')}`);
  return result.value;
}
