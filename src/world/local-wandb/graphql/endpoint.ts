import {
  type DocumentNode,
  execute,
  type GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  parse,
  validate,
} from 'graphql';
import type { GqlContext } from './context.js';
import { LocalWandbError } from './errors.js';
import { artifactMutations } from './resolvers/artifact.js';
import { queryRoot } from './resolvers/query.js';
import { runMutations } from './resolvers/run.js';
import { viewMutations, viewQueries } from './resolvers/view.js';

export type GqlResult = {
  status: number;
  body: unknown;
  /** Operation name, else the top-level field names: the key /_local/stats counts under. */
  operation: string;
  isMutation: boolean;
};

type Prepared =
  | { ok: true; document: DocumentNode; operation: string; isMutation: boolean }
  | { ok: false; result: GqlResult };

/**
 * Parses and validates a request body against W&B's schema. Parse and validation errors answer HTTP 400
 * with `{"errors": […]}` and no `data`, as graphql-js HTTP servers (and, per SDK tracebacks, W&B) do.
 */
export function prepareGraphql(schema: GraphQLSchema, body: unknown): Prepared {
  const request = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const query = request.query;
  // Clients may send operationName "" (wandb-core does): treat it as absent.
  const operationName =
    typeof request.operationName === 'string' && request.operationName !== ''
      ? request.operationName
      : undefined;
  const fail = (status: number, errors: readonly { message: string }[]): Prepared => ({
    ok: false,
    result: {
      status,
      body: { errors: errors.map(toJson) },
      operation: operationName ?? 'invalid',
      isMutation: false,
    },
  });
  if (typeof query !== 'string') return fail(400, [{ message: 'Must provide query string.' }]);
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return fail(400, [error as GraphQLError]);
  }
  const errors = validate(schema, document);
  if (errors.length > 0) return fail(400, errors);
  const op = getOperationAST(document, operationName);
  if (!op) return fail(400, [{ message: 'Unknown or ambiguous operation name.' }]);
  const fields = op.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
  return {
    ok: true,
    document,
    operation: operationName ?? op.name?.value ?? fields.join('+'),
    isMutation: op.operation === 'mutation',
  };
}

/** Executes a prepared request. Errors that W&B answers with a status (404 project not found, …) set it. */
export async function executeGraphql(
  schema: GraphQLSchema,
  prepared: Extract<Prepared, { ok: true }>,
  body: Record<string, unknown>,
  ctx: GqlContext,
): Promise<GqlResult> {
  const variables =
    typeof body.variables === 'object' && body.variables !== null
      ? (body.variables as Record<string, unknown>)
      : {};
  const rootValue = {
    ...queryRoot(ctx),
    ...viewQueries(ctx),
    ...runMutations(ctx),
    ...artifactMutations(ctx),
    ...viewMutations(ctx),
  };
  const result = await execute({
    schema,
    document: prepared.document,
    rootValue,
    contextValue: ctx,
    variableValues: variables,
    operationName:
      typeof body.operationName === 'string' && body.operationName !== '' ? body.operationName : undefined,
  });
  const errors = result.errors ?? [];
  // Variable coercion failures (missing required variable, wrong type) come back without data: a bad request.
  const isBadRequest = result.data === undefined && errors.length > 0;
  let status = isBadRequest ? 400 : 200;
  for (const error of isBadRequest ? [] : errors) {
    if (error.originalError instanceof LocalWandbError)
      status = Math.max(status, error.originalError.httpStatus);
    else if (error.originalError) status = Math.max(status, 500);
  }
  const json: Record<string, unknown> = {};
  if (errors.length > 0) json.errors = errors.map(toJson);
  if (result.data !== undefined) json.data = result.data;
  return { status, body: json, operation: prepared.operation, isMutation: prepared.isMutation };
}

function toJson(error: {
  message: string;
  path?: readonly (string | number)[] | undefined;
  locations?: unknown;
}) {
  return {
    message: error.message,
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
  };
}
