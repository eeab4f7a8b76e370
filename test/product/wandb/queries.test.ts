import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse, TypeInfo, validate, visit, visitWithTypeInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as queries from '../../../src/product/wandb/queries.js';
import { buildWandbSchema } from '../../../src/world/local-wandb/graphql/schema.js';

const documents = [
  ...Object.entries(queries).flatMap(([name, value]) =>
    typeof value === 'string' && value.includes('{') ? [[name, value] as const] : [],
  ),
  ['runEventsBatchQuery([2, 1])', queries.runEventsBatchQuery([2, 1])] as const,
  ['entityProjectsQuery(2)', queries.entityProjectsQuery(2)] as const,
  ['projectRunsQuery(2)', queries.projectRunsQuery(2)] as const,
];

// The 2023 snapshot of W&B's schema, as TypeScript types (docs/wandb-protocol.md §0 `schema`).
const sdkRoot = join(createRequire(import.meta.url).resolve('@wandb/sdk'), '..');
const snapshot = readFileSync(join(sdkRoot, 'dist', 'gql', 'graphql.d.ts'), 'utf8');
const POST_2023 = new Set(['Mutation.createRunFiles', 'CreateRunFilesPayload.*', 'RunFileUpload.*']);

function snapshotHas(type: string, field: string): boolean {
  if (POST_2023.has(`${type}.${field}`) || POST_2023.has(`${type}.*`)) return true;
  const block = new RegExp(`^export type ${type} = [^\\n]*\\{\\n([\\s\\S]*?)\\n\\};`, 'm').exec(snapshot);
  return block?.[1] !== undefined && new RegExp(`^ {4}${field}\\??:`, 'm').test(block[1]);
}

describe('GraphQL documents', () => {
  const schema = buildWandbSchema();

  it.each(documents)('%s validates against the local W&B schema', (_name, text) => {
    expect(validate(schema, parse(text)).map((e) => e.message)).toEqual([]);
  });

  it.each(
    documents,
  )('%s requests only fields of the 2023 schema snapshot (plus createRunFiles)', (_name, text) => {
    const typeInfo = new TypeInfo(schema);
    const missing: string[] = [];
    visit(
      parse(text),
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const parent = typeInfo.getParentType()?.name;
          if (parent && !node.name.value.startsWith('__') && !snapshotHas(parent, node.name.value)) {
            missing.push(`${parent}.${node.name.value}`);
          }
        },
      }),
    );
    expect(missing).toEqual([]);
  });
});
