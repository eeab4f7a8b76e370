import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  type GraphQLField,
  type GraphQLInputField,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildWandbSchema } from '../../../src/world/local-wandb/graphql/schema.js';

// The 2023 snapshot of W&B's schema as TypeScript types (@wandb/sdk 0.5.1 dist/gql/graphql.d.ts, generated
// from api.wandb.ai). Its markers give each field's nullability: `InputMaybe<T>` / `Maybe<T>` nullable,
// a bare `T` required, `name?: T` (no InputMaybe) required with a default.
const sdkRoot = join(createRequire(import.meta.url).resolve('@wandb/sdk'), '..');
const snapshot = readFileSync(join(sdkRoot, 'dist', 'gql', 'graphql.d.ts'), 'utf8');

const blocks = new Map<string, Map<string, string>>();
for (const [, name, body] of snapshot.matchAll(/^export type (\w+) = [^\n]*\{\n([\s\S]*?)\n\};/gm)) {
  const fields = new Map<string, string>();
  for (const [, field, type] of (body ?? '').matchAll(/^ {4}(\w+)\??: (.*);$/gm)) {
    if (field && type) fields.set(field, type);
  }
  if (name) blocks.set(name, fields);
}

/** The SDL spelling of a snapshot type: `InputMaybe<Array<Scalars['String']>>` → `[String!]`. */
function sdlType(ts: string): string {
  const maybe = /^(?:InputMaybe|Maybe)<(.*)>$/.exec(ts);
  if (maybe?.[1]) return sdlType(maybe[1]).replace(/!$/, '');
  const list = /^Array<(.*)>$/.exec(ts);
  if (list?.[1]) return `[${sdlType(list[1])}]!`;
  return `${/^Scalars\['(\w+)'\]$/.exec(ts)?.[1] ?? ts}!`;
}

const cap = (s: string) => `${s.slice(0, 1).toUpperCase()}${s.slice(1)}`;

describe('local W&B schema', () => {
  it('marks fields, arguments and input fields required exactly where the 2023 snapshot does', () => {
    const schema = buildWandbSchema();
    const differences: string[] = [];
    let compared = 0;
    // Fields added after 2023 (createRunFiles, …) are not in the snapshot and are left out.
    const compare = (
      where: string,
      ours: GraphQLField<unknown, unknown> | GraphQLInputField,
      ts?: string,
    ) => {
      if (ts === undefined) return;
      compared++;
      if (sdlType(ts) !== String(ours.type))
        differences.push(`${where}: ours ${String(ours.type)}, W&B ${sdlType(ts)}`);
    };
    for (const type of Object.values(schema.getTypeMap())) {
      const block = blocks.get(type.name);
      if (!isInputObjectType(type) && !isObjectType(type) && !isInterfaceType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        compare(`${type.name}.${field.name}`, field, block?.get(field.name));
        if (!('args' in field)) continue;
        const args = blocks.get(`${type.name}${cap(field.name)}Args`);
        for (const arg of field.args) {
          compare(`${type.name}.${field.name}(${arg.name})`, arg as GraphQLInputField, args?.get(arg.name));
        }
      }
    }
    expect(compared).toBeGreaterThan(400);
    expect(differences).toEqual([]);
  });
});
