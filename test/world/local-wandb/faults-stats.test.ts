import { afterEach, describe, expect, it } from 'vitest';
import { createFaultInjector } from '../../../src/world/local-wandb/http/faults.js';
import { basicAuth, gql, gqlData, startTestServer, UPSERT_BUCKET } from '../../helpers/local-wandb.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** Sends the same 40 Viewer requests and records each outcome (status, or "reset"). */
async function outcomes(server: Server): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 40; i += 1) {
    try {
      const res = await gql(server.url, 'query Viewer { viewer { entity } }');
      seen.push(String(res.status));
    } catch {
      seen.push('reset');
    }
  }
  return seen;
}

describe('local W&B: faults and stats', () => {
  const open: Server[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  const start = async (options: Parameters<typeof startTestServer>[0]) => {
    const s = await startTestServer(options);
    open.push(s);
    return s;
  };

  it('gives the same fault sequence for the same seed and request sequence', async () => {
    const a = await outcomes(await start({ faultRate: 0.5, faultSeed: 42 }));
    const b = await outcomes(await start({ faultRate: 0.5, faultSeed: 42 }));
    const c = await outcomes(await start({ faultRate: 0.5, faultSeed: 7 }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).toContain('200');
    expect(a.some((o) => o !== '200')).toBe(true);
    for (const o of a) expect(['200', '500', '502', '503', '429', 'reset']).toContain(o);
    const [first] = open;
    expect(first?.stats().faultsInjected).toBe(a.filter((o) => o !== '200').length);
  });

  it('draws faults from a seeded PRNG: same seed, same decisions; rate 0 never fails', () => {
    const draw = (seed: number, rate: number) => {
      const next = createFaultInjector({ rate, seed });
      return Array.from({ length: 200 }, () => next()?.kind ?? 'ok');
    };
    expect(draw(3, 0.3)).toEqual(draw(3, 0.3));
    expect(draw(3, 0).every((k) => k === 'ok')).toBe(true);
    const hits = draw(3, 0.3).filter((k) => k !== 'ok').length;
    expect(hits).toBeGreaterThan(30);
    expect(hits).toBeLessThan(90);
  });

  it('answers injected 429s with Retry-After', async () => {
    const server = await start({ faultRate: 1, faultSeed: 1, retryAfterSeconds: 2 });
    for (let i = 0; i < 30; i += 1) {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { Authorization: basicAuth() },
        body: '{}',
      }).catch(() => undefined);
      if (res?.status === 429) {
        expect(res.headers.get('retry-after')).toBe('2');
        return;
      }
    }
    throw new Error('no 429 in 30 requests at fault rate 1');
  });

  it('counts requests by operation, file_stream, upload and download, and bytes served', async () => {
    const server = await start({});
    for (let i = 0; i < 3; i += 1) await gql(server.url, 'query Viewer { viewer { entity } }');
    await gql(server.url, '{ viewer { entity } }');
    await gqlData(server.url, UPSERT_BUCKET, { name: 'stats001', project: 'p', entity: 'local' });
    await fetch(`${server.url}/files/local/p/stats001/file_stream`, {
      method: 'POST',
      headers: { Authorization: basicAuth() },
      body: '{}',
    });
    const files = await gqlData<{ createRunFiles: { files: { uploadUrl: string }[] } }>(
      server.url,
      'mutation { createRunFiles(input: {entityName: "local", projectName: "p", runName: "stats001", files: ["f.txt"]}) { files { uploadUrl } } }',
    );
    await fetch(files.createRunFiles.files[0]?.uploadUrl ?? '', { method: 'PUT', body: 'hello' });
    const got = await fetch(`${server.url}/files/local/p/stats001/f.txt`, {
      headers: { Authorization: basicAuth() },
    });
    expect(await got.text()).toBe('hello');
    const stats = (await (
      await fetch(`${server.url}/_local/stats`, { headers: { Authorization: basicAuth() } })
    ).json()) as ReturnType<Server['stats']>;
    expect(stats.requests).toEqual({
      Viewer: 3,
      viewer: 1,
      UpsertBucket: 1,
      file_stream: 1,
      createRunFiles: 1,
      upload: 1,
      download: 1,
    });
    expect(stats.totalRequests).toBe(9);
    expect(stats.faultsInjected).toBe(0);
    expect(stats.bytesServed).toBeGreaterThan(5);
  });
});
