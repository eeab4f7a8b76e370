import type { RunPath } from './app-routes.js';
import { JSON_BODY_LIMIT_BYTES, UPLOAD_BODY_LIMIT_BYTES } from './request-body.js';

/**
 * A request target: the path with leading slashes collapsed, its percent-decoded segments (undefined
 * when an escape is malformed: `%ZZ`, or bytes that are not UTF-8), and the query.
 */
export type Target = { path: string; segments: readonly string[] | undefined; search: URLSearchParams };

/** Where a request goes, known before its body is read, so its size limit is too. */
export type Destination =
  | { kind: 'graphql' }
  | { kind: 'file_stream'; run: RunPath }
  | { kind: 'run-file'; run: RunPath; name: string }
  | { kind: 'upload'; token: string }
  | { kind: 'blob'; hex: string }
  | { kind: 'not-found' };

/** The destinations that read a body, and its limit (request-body.ts says why each is what it is). */
export const BODY_LIMITS: Readonly<Partial<Record<Destination['kind'], number>>> = {
  graphql: JSON_BODY_LIMIT_BYTES,
  file_stream: JSON_BODY_LIMIT_BYTES,
  upload: UPLOAD_BODY_LIMIT_BYTES,
};

/**
 * JS SDK builds `${base}/graphql`, so a base URL with a trailing slash yields //graphql
 * (docs/wandb-protocol.md §1.1); `new URL` would read that as a host, so the path is cut from the raw
 * request target.
 */
export function parseTarget(url = '/'): Target {
  const query = url.indexOf('?');
  const path = (query < 0 ? url : url.slice(0, query)).replace(/^\/+/, '/');
  return {
    path,
    segments: decodeSegments(path),
    search: new URLSearchParams(query < 0 ? '' : url.slice(query + 1)),
  };
}

function decodeSegments(path: string): string[] | undefined {
  try {
    return path.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

export function destinationOf(method: string, path: string, segments: readonly string[]): Destination {
  if (path === '/graphql' && method === 'POST') return { kind: 'graphql' };
  const [top, second, third, fourth, ...rest] = segments;
  if (top === 'files' && second && third && fourth && rest.join('/') === 'file_stream' && method === 'POST') {
    return { kind: 'file_stream', run: { entity: second, project: third, run: fourth } };
  }
  // A run file by its `url` (/files/…) or its signed `directUrl` (/_local/files/…).
  if ((top === 'files' || (top === '_local' && second === 'files')) && method === 'GET') {
    const [entity = '', project = '', run = '', ...name] = segments.slice(top === 'files' ? 1 : 2);
    return { kind: 'run-file', run: { entity, project, run }, name: name.join('/') };
  }
  if (top === '_local' && second === 'upload' && third && method === 'PUT')
    return { kind: 'upload', token: third };
  if (top === '_local' && second === 'blobs' && third && method === 'GET')
    return { kind: 'blob', hex: third };
  return { kind: 'not-found' };
}
