import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWandbClient } from '../../../src/product/wandb/client.js';
import {
  WandbAuthError,
  WandbGraphqlError,
  WandbHttpError,
  WandbNetworkError,
  WandbTimeoutError,
} from '../../../src/product/wandb/errors.js';
import { listProjects, listRuns, runExists } from '../../../src/product/wandb/runs.js';
import { UPLOAD_CONCURRENCY } from '../../../src/product/wandb/transport.js';
import { createMemoryLogger, fixedClock } from '../../helpers/fakes.js';
import { API_KEY, json, seedRun, startSeeded, startTinyServer, testClient } from '../../helpers/wandb.js';

const VIEWER = 'query Viewer { viewer { id entity } }';

describe('client against the local server with injected faults', () => {
  let server: Awaited<ReturnType<typeof startSeeded>>;
  beforeAll(async () => {
    const runs = Array.from({ length: 12 }, (_, i) =>
      seedRun(
        'team',
        'proj',
        `run${String(i).padStart(5, '0')}`,
        '2024-10-01T00:00:00',
        '2024-10-01T05:00:00',
      ),
    );
    server = await startSeeded({ entities: [{ name: 'team' }], runs }, { faultRate: 0.3, faultSeed: 7 });
  });
  afterAll(() => server.close());

  it('retries 429/5xx/resets until every call succeeds; its request counts equal what the server saw', async () => {
    const client = testClient(server.url, { maxRetries: 10 });
    for (let i = 0; i < 15; i += 1) {
      expect(await listRuns(client, { entity: 'team', project: 'proj', perPage: 5 })).toHaveLength(12);
      expect(await runExists(client, 'team', 'proj', 'run00003')).toBe(true);
    }
    expect(await listProjects(client, 'team')).toEqual([{ name: 'proj', createdAt: expect.any(String) }]);
    const stats = server.stats();
    const counts = client.requestCounts();
    expect(stats.faultsInjected).toBeGreaterThan(10);
    expect(counts).toEqual(stats.requests);
    expect(counts.Runs).toBeGreaterThan(45);
    expect(client.waits.length).toBe(stats.faultsInjected);
    // Injected 429s carry Retry-After: 1, which wins over the backoff.
    expect(client.waits.filter((w) => w === 1000).length).toBeGreaterThanOrEqual(
      stats.faults['rate-limit'] ?? 0,
    );
  });
});

describe('client errors', () => {
  let server: Awaited<ReturnType<typeof startSeeded>>;
  beforeAll(async () => {
    server = await startSeeded({ entities: [{ name: 'team' }] });
  });
  afterAll(() => server.close());

  it('a wrong key is a WandbAuthError that never shows the key', async () => {
    const key = 'wrong-secret-key-0123456789abcdefghijklmnop';
    const client = createWandbClient({ baseUrl: server.url, apiKey: key });
    const error = await client.graphql('Viewer', VIEWER).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WandbAuthError);
    const auth = error as WandbAuthError;
    expect(auth.status).toBe(401);
    expect(auth.operation).toBe('Viewer');
    const basic = Buffer.from(`api:${key}`).toString('base64');
    for (const text of [
      auth.message,
      String(auth),
      JSON.stringify(auth),
      JSON.stringify({ ...auth }),
      auth.stack,
    ]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(basic);
    }
    expect(client.requestCounts()).toEqual({ Viewer: 1 });
  });

  it('strips a trailing slash from the base URL and answers GraphQL data', async () => {
    const client = createWandbClient({ baseUrl: `${server.url}/`, apiKey: API_KEY });
    await expect(client.graphql('Viewer', VIEWER)).resolves.toMatchObject({ viewer: { entity: 'team' } });
  });

  it('GraphQL validation errors and 404 "project not found" are not retried', async () => {
    const client = testClient(server.url);
    const bad = await client.graphql('Bad', 'query Bad { viewer { nosuchfield } }').catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(WandbHttpError);
    expect((bad as WandbHttpError).status).toBe(400);
    const mutation = `mutation NotifyScriptableRunAlert { notifyScriptableRunAlert(input: {entityName: "team",
      projectName: "nosuch", runName: "x", title: "t", text: "t"}) { success } }`;
    const missing = await client.graphql('NotifyScriptableRunAlert', mutation).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(WandbHttpError);
    expect(missing).toMatchObject({
      status: 404,
      operation: 'NotifyScriptableRunAlert',
      detail: 'project not found',
    });
    expect(client.requestCounts()).toEqual({ Bad: 1, NotifyScriptableRunAlert: 1 });
    expect(client.waits).toEqual([]);
  });
});

describe('client against a bare HTTP peer', () => {
  it('honours Retry-After in seconds, as an HTTP date, then RateLimit-Reset; else full-jitter backoff', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const peer = await startTinyServer((_req, res, hit) => {
      const body = { errors: [{ message: 'slow down' }] };
      if (hit === 1) return json(res, 429, body, { 'Retry-After': '7' });
      if (hit === 2)
        return json(res, 503, body, { 'Retry-After': new Date(now.getTime() + 12_000).toUTCString() });
      if (hit === 3) return json(res, 429, body, { 'RateLimit-Reset': '3', 'RateLimit-Remaining': '0' });
      if (hit === 4) return json(res, 502, body);
      if (hit === 5) return json(res, 500, body);
      return json(res, 200, { data: { viewer: { entity: 'x' } } });
    });
    try {
      const log = createMemoryLogger();
      const client = testClient(peer.url, { clock: fixedClock(now), random: () => 0.999, log });
      await expect(client.graphql('Viewer', VIEWER)).resolves.toEqual({ viewer: { entity: 'x' } });
      // attempt 4 → base 500 ms * 2^3 = 4000 ceiling; attempt 5 → 8000 ceiling (random just under 1).
      expect(client.waits).toEqual([7000, 12_000, 3000, 3996, 7992]);
      expect(client.requestCounts()).toEqual({ Viewer: 6 });
      expect(log.events.map((e) => [e.level, e.event, e.fields.operation, e.fields.attempt])).toEqual(
        [1, 2, 3, 4, 5].map((n) => ['warn', 'wandb.retry', 'Viewer', n]),
      );
      const logged = JSON.stringify(log.events);
      for (const secret of [peer.url, '127.0.0.1', API_KEY, 'Basic']) expect(logged).not.toContain(secret);
    } finally {
      await peer.close();
    }
  });

  it('gives up after maxRetries with the last HTTP error', async () => {
    const peer = await startTinyServer((_req, res) => json(res, 503, { error: 'down' }));
    try {
      const client = testClient(peer.url, { maxRetries: 2 });
      const error = await client.download(`${peer.url}/x`).catch((e: unknown) => e);
      expect(error).toMatchObject({
        name: 'WandbHttpError',
        status: 503,
        operation: 'download',
        detail: 'down',
      });
      expect(peer.hits).toBe(3);
    } finally {
      await peer.close();
    }
  });

  it('a peer that never answers is a WandbTimeoutError after the retries', async () => {
    const peer = await startTinyServer(() => undefined);
    try {
      const client = testClient(peer.url, { timeoutMs: 100, maxRetries: 2 });
      const error = await client.graphql('Viewer', VIEWER).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WandbTimeoutError);
      expect(peer.hits).toBe(3);
      expect(client.waits).toHaveLength(2);
    } finally {
      await peer.close();
    }
  });

  it('connection refused is retried, then a WandbNetworkError', async () => {
    const peer = await startTinyServer(() => undefined);
    const url = peer.url;
    await peer.close();
    const client = testClient(url, { maxRetries: 3 });
    const error = await client
      .fileStream({ entity: 'e', project: 'p', run: 'r' }, {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WandbNetworkError);
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect(client.requestCounts()).toEqual({ file_stream: 4 });
  });

  it('HTTP 200 with errors, or with null data, is a WandbGraphqlError', async () => {
    const peer = await startTinyServer((_req, res, hit) =>
      hit === 1
        ? json(res, 200, { data: null, errors: [{ message: 'boom', path: ['x'] }] })
        : json(res, 200, { data: null }),
    );
    try {
      const client = testClient(peer.url);
      await expect(client.graphql('Q', '{ x }')).rejects.toMatchObject({
        errors: [{ message: 'boom', path: ['x'] }],
      });
      await expect(client.graphql('Q', '{ x }')).rejects.toBeInstanceOf(WandbGraphqlError);
    } finally {
      await peer.close();
    }
  });

  it('a stopped view ends its queued and in-flight requests with the reason; the client goes on', async () => {
    // The first request is never answered; every later one is.
    const peer = await startTinyServer((_req, res, hit) => {
      if (hit > 1) res.end('ok');
    });
    try {
      const client = testClient(peer.url, { concurrency: 1, timeoutMs: 60_000 });
      const stop = new AbortController();
      const view = client.stoppedBy(stop.signal);
      const viewed = [0, 1, 2].map((i) => view.download(`${peer.url}/v${i}`).catch((e: unknown) => e));
      const plain = client.download(`${peer.url}/plain`);
      await new Promise((done) => setTimeout(done, 100));
      expect(peer.hits).toBe(1);
      const reason = new Error('the prior dataset cannot be read');
      stop.abort(reason);
      expect(await Promise.all(viewed)).toEqual([reason, reason, reason]);
      expect(String(await plain)).toBe('ok');
      // The two queued requests of the view were never sent.
      expect(peer.hits).toBe(2);
      expect(client.requestCounts()).toEqual({ download: 2 });
      await expect(view.download(`${peer.url}/later`)).rejects.toBe(reason);
    } finally {
      await peer.close();
    }
  });

  it('never has more requests in flight than `concurrency`', async () => {
    let inFlight = 0;
    let peak = 0;
    const peer = await startTinyServer(async (_req, res) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((done) => setTimeout(done, 20));
      inFlight -= 1;
      res.end('ok');
    });
    try {
      const client = testClient(peer.url, { concurrency: 2 });
      const bodies = await Promise.all(
        Array.from({ length: 10 }, (_, i) => client.download(`${peer.url}/f${i}`)),
      );
      expect(bodies.map(String)).toEqual(Array(10).fill('ok'));
      expect(peak).toBe(2);
    } finally {
      await peer.close();
    }
  });

  it('bounds uploads to signed URLs on their own, as wandb-core bounds file transfers apart from API calls', async () => {
    let uploads = 0;
    let peakUploads = 0;
    const peer = await startTinyServer(async (req, res) => {
      const isUpload = req.method === 'PUT';
      if (isUpload) peakUploads = Math.max(peakUploads, ++uploads);
      await new Promise((done) => setTimeout(done, 30));
      if (isUpload) uploads -= 1;
      res.end('ok');
    });
    try {
      const client = testClient(peer.url, { concurrency: 1 });
      let uploaded = 0;
      const puts = Array.from({ length: UPLOAD_CONCURRENCY + 8 }, (_, i) =>
        client.upload(`${peer.url}/u${i}`, 'x').then(() => uploaded++),
      );
      // A W&B request is not queued behind the uploads (one slot, shared, would put it after all of them).
      await client.download(`${peer.url}/f`);
      expect(uploaded).toBeLessThan(UPLOAD_CONCURRENCY + 8);
      await Promise.all(puts);
      expect(peakUploads).toBe(UPLOAD_CONCURRENCY);
    } finally {
      await peer.close();
    }
  });

  it('sends Basic auth only to the W&B host, never to signed URLs', async () => {
    const seen: (string | undefined)[] = [];
    const peer = await startTinyServer((req, res) => {
      seen.push(req.headers.authorization);
      res.end('');
    });
    try {
      const client = testClient(peer.url);
      await client.download(`${peer.url}/files/e/p/r/wandb-events.jsonl`, { auth: true });
      await client.download(`${peer.url}/signed?token=1`);
      await client.upload(`${peer.url}/put`, 'x', { 'Content-MD5': 'abc' });
      const other = testClient('http://127.0.0.1:1');
      await other.download(`${peer.url}/elsewhere`, { auth: true });
      expect(seen).toEqual([
        `Basic ${Buffer.from(`api:${API_KEY}`).toString('base64')}`,
        undefined,
        undefined,
        undefined,
      ]);
    } finally {
      await peer.close();
    }
  });
});
