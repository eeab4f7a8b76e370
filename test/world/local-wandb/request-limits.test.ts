import { type IncomingHttpHeaders, request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  JSON_BODY_LIMIT_BYTES,
  UPLOAD_BODY_LIMIT_BYTES,
} from '../../../src/world/local-wandb/http/request-body.js';
import { basicAuth, gqlData, startTestServer, UPSERT_BUCKET } from '../../helpers/local-wandb.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
type RawResponse = { status: number; headers: IncomingHttpHeaders; body: string; sentBytes: number };

const MIB = 1024 * 1024;
/** What a client declares and never sends: 1.5 GB. */
const HUGE_LENGTH = 1_500_000_000;
/** Long enough for any answer the server gives before reading a body, far too short to read 1.5 GB. */
const PROMPT_MS = 5_000;

/**
 * Sends the request line, headers and `first`, then (with `streamChunk`) keeps sending that chunk until
 * the server answers. Resolves with the answer and the bytes sent by then; fails if none comes within
 * `timeoutMs`. A server that answers early and closes makes the rest of the upload fail: ignored.
 */
function rawRequest(
  url: string,
  options: {
    method: string;
    headers: Record<string, string>;
    first?: Buffer;
    streamChunk?: Buffer;
    timeoutMs?: number;
  },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let isAnswered = false;
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer within ${options.timeoutMs ?? PROMPT_MS} ms (${sentBytes} bytes sent)`));
    }, options.timeoutMs ?? PROMPT_MS);
    const req = request(url, { method: options.method, headers: options.headers, agent: false });
    req.on('response', (res) => {
      isAnswered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('close', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, sentBytes });
      });
    });
    req.on('error', (error) => {
      if (isAnswered) return;
      clearTimeout(timer);
      reject(error);
    });
    if (options.first) {
      sentBytes += options.first.length;
      req.write(options.first);
    }
    const chunk = options.streamChunk;
    if (!chunk) return;
    const pump = () => {
      while (!isAnswered && !req.destroyed) {
        sentBytes += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

/** Gzip members of 16 MiB of zeros, concatenated (a valid gzip stream): ~2 MiB that expand to `bytes`. */
function gzipBomb(bytes: number): Buffer {
  const memberBytes = 16 * MIB;
  const member = gzipSync(Buffer.alloc(memberBytes), { level: 9 });
  return Buffer.concat(Array.from({ length: Math.ceil(bytes / memberBytes) }, () => member));
}

const peakRssBytes = () => process.resourceUsage().maxRSS * 1024;

// docs/behaviour.md §10: the key is checked before a body is read; bodies, also once decompressed,
// have a size limit answered with 413; a malformed path is a 400, never a 500.
describe('local W&B: request bodies and paths', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer();
    await gqlData(server.url, UPSERT_BUCKET, { name: 'lim00001', project: 'p', entity: 'local' });
  });
  afterAll(async () => server.close());

  it('answers 401 to a 1.5 GB body without the key at once, reading none of it', async () => {
    for (const path of ['/graphql', '/files/local/p/lim00001/file_stream', '/_local/upload/x']) {
      const res = await rawRequest(`${server.url}${path}`, {
        method: path.includes('upload') ? 'PUT' : 'POST',
        headers: { 'Content-Length': String(HUGE_LENGTH), 'Content-Type': 'application/json' },
        first: Buffer.from('{"query":"{ viewer'),
      });
      expect(res.status).toBe(401);
      expect(res.headers.connection).toBe('close');
    }
    // Still serving.
    expect(
      (await gqlData<{ viewer: { entity: string } }>(server.url, '{ viewer { entity } }')).viewer,
    ).toEqual({
      entity: 'local',
    });
  });

  it('answers 413 at once to a body whose Content-Length is over the limit, with the key', async () => {
    const res = await rawRequest(`${server.url}/graphql`, {
      method: 'POST',
      headers: {
        Authorization: basicAuth(),
        'Content-Length': String(JSON_BODY_LIMIT_BYTES + 1),
        'Content-Type': 'application/json',
      },
      first: Buffer.from('{"query":"{ viewer'),
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ error: `request body exceeds ${JSON_BODY_LIMIT_BYTES} bytes` });
    expect(res.headers.connection).toBe('close');
  });

  it('answers 413 at once to an upload over its limit on a signed upload URL', async () => {
    const created = await gqlData<{ createRunFiles: { files: { uploadUrl: string }[] } }>(
      server.url,
      'mutation { createRunFiles(input: {entityName: "local", projectName: "p", runName: "lim00001", files: ["big.bin"]}) { files { uploadUrl } } }',
    );
    const res = await rawRequest(created.createRunFiles.files[0]?.uploadUrl ?? '', {
      method: 'PUT',
      headers: { 'Content-Length': String(UPLOAD_BODY_LIMIT_BYTES + 1) },
      first: Buffer.alloc(1024),
    });
    expect(res.status).toBe(413);
  });

  it('counts a chunked body while it streams and stops reading it at the limit', async () => {
    const res = await rawRequest(`${server.url}/files/local/p/lim00001/file_stream`, {
      method: 'POST',
      headers: { Authorization: basicAuth(), 'Content-Type': 'application/json' },
      streamChunk: Buffer.alloc(MIB, 0x20),
      timeoutMs: 20_000,
    });
    expect(res.status).toBe(413);
    // Socket buffers hold a few MiB more than the server read; nothing near a second limit's worth.
    expect(res.sentBytes).toBeLessThan(JSON_BODY_LIMIT_BYTES + 32 * MIB);
  });

  it.each([
    ['/graphql', '{ viewer { entity } }'],
    ['/files/local/p/lim00001/file_stream', '{}'],
  ])('answers 413 to a gzip bomb posted to %s, holding no more than the limit', async (path) => {
    const bomb = gzipBomb(2 * 1024 * MIB);
    expect(bomb.length).toBeLessThan(4 * MIB);
    const before = peakRssBytes();
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { Authorization: basicAuth(), 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: bomb,
    });
    expect(res.status).toBe(413);
    // The limit plus the compressed body and zlib's buffers; the whole bomb would be 2 GiB.
    expect(peakRssBytes() - before).toBeLessThan(4 * JSON_BODY_LIMIT_BYTES);
  });

  it('still takes a gzip body within the limit, and answers 400 to one that is not gzip', async () => {
    const headers = {
      Authorization: basicAuth(),
      'Content-Type': 'application/json',
      'Content-Encoding': 'gzip',
    };
    const ok = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers,
      body: gzipSync(JSON.stringify({ query: '{ viewer { entity } }' })),
    });
    expect(await ok.json()).toEqual({ data: { viewer: { entity: 'local' } } });
    const bad = await fetch(`${server.url}/graphql`, { method: 'POST', headers, body: 'not gzip' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'request body is not valid gzip' });
  });

  it.each([
    ['GET', '/files/local/p/%ZZ/output.log'],
    ['GET', '/_local/files/local/p/lim00001/%C3%28'],
    ['POST', '/files/%E0%A4%A/p/lim00001/file_stream'],
  ])('answers %s %s (a malformed escape) with 400 and a JSON error', async (method, path) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { Authorization: basicAuth() },
      ...(method === 'GET' ? {} : { body: '{}' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'malformed percent-escape in the path' });
    // Without the key the same path is a 401 like any other.
    expect(
      (await fetch(`${server.url}${path}`, { method, ...(method === 'GET' ? {} : { body: '{}' }) })).status,
    ).toBe(401);
  });
});
