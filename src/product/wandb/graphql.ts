import { z } from 'zod';
import { WandbGraphqlError, WandbResponseError } from './errors.js';
import { jsonHeaders, type WandbHost } from './host.js';
import { parseJsonBody, type WandbAnswer, type WandbRequest } from './transport.js';

const envelopeSchema = z.object({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z
    .array(z.object({ message: z.string(), path: z.array(z.union([z.string(), z.number()])).optional() }))
    .nullish(),
});

/** POST {base}/graphql with the query and its variables. */
export function graphqlRequest(
  host: WandbHost,
  operation: string,
  query: string,
  variables: Record<string, unknown>,
): WandbRequest {
  return {
    operation,
    url: `${host.baseUrl}/graphql`,
    method: 'POST',
    headers: jsonHeaders(host),
    body: JSON.stringify({ query, variables }),
  };
}

/** The `data` of a GraphQL answer; a WandbGraphqlError when `errors` is present or `data` is null. */
export function graphqlData<T>(operation: string, answer: WandbAnswer): T {
  const parsed = envelopeSchema.safeParse(parseJsonBody(answer.body));
  if (!parsed.success) throw new WandbResponseError(operation, 'not a GraphQL response body');
  const { data, errors } = parsed.data;
  if (errors && errors.length > 0) {
    const issues = errors.map((e) =>
      e.path ? { message: e.message, path: e.path } : { message: e.message },
    );
    throw new WandbGraphqlError(operation, issues);
  }
  if (data === null || data === undefined) throw new WandbGraphqlError(operation, []);
  return data as T;
}
