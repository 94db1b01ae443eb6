import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, testApp, type TestApp } from '../../test/app.ts';

/**
 * The public fast path answers as the router does: the same status, body and headers, the same log
 * line, the same rate limit, and the data as fresh. Each test compares the router's answer (the first
 * time a query string is asked) with the fast path's (every time after).
 */

let t: TestApp;
let server: Awaited<ReturnType<typeof listen>>;
/** Requests the router saw (the fast path passed them on). */
let routed: string[] = [];

beforeAll(async () => {
  t = await testApp({ apiRateLimit: { perAddress: 40, perToken: 100, windowSeconds: 60 } });
  const fastPath = t.fastPath;
  // As the service serves it, with the router's listener wrapped to record what reaches it.
  server = await listen(t.app, (fallback) =>
    fastPath((req, res) => {
      routed.push(`${req.method} ${req.url}`);
      fallback(req, res);
    }),
  );
});
afterAll(async () => {
  await server?.close();
  await t?.close();
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** The headers that must match, with the per-response ones (nonce, date, counts) reduced to their form. */
function comparable(headers: IncomingHttpHeaders): Record<string, unknown> {
  const out: Record<string, unknown> = { ...headers };
  delete out.date;
  delete out.connection;
  delete out['keep-alive'];
  delete out['transfer-encoding'];
  delete out['content-length'];
  out['content-security-policy'] = String(headers['content-security-policy']).replace(
    /'nonce-[^']+'/g,
    "'nonce-…'",
  );
  out['ratelimit-remaining'] = /^\d+$/.test(String(headers['ratelimit-remaining']));
  out['ratelimit-reset'] = /^\d+$/.test(String(headers['ratelimit-reset']));
  if (headers['retry-after'] !== undefined) out['retry-after'] = /^\d+$/.test(headers['retry-after']);
  return out;
}

describe('the public fast path', () => {
  it('answers a query string the API answered before with the same status, headers and body', async () => {
    routed = [];
    const path = '/api/v1/navigators?county=Hennepin';
    const first = await get(path);
    expect(routed).toEqual([`GET ${path}`]);
    const second = await get(path);
    const third = await get(path);
    // the second and third never reached the router
    expect(routed).toEqual([`GET ${path}`]);
    expect(second.status).toBe(200);
    expect(second.body.equals(first.body)).toBe(true);
    expect(JSON.parse(second.body.toString())).toMatchObject({ query: { county: 'Hennepin' } });
    expect(comparable(second.headers)).toEqual(comparable(first.headers));
    expect(second.headers['content-length']).toBe(String(second.body.length));
    // each answer has its own nonce, and counts against the limit
    expect(second.headers['content-security-policy']).not.toBe(third.headers['content-security-policy']);
    expect(Number(third.headers['ratelimit-remaining'])).toBeLessThan(
      Number(first.headers['ratelimit-remaining']),
    );
    expect(second.headers['set-cookie']).toBeUndefined();
    expect(second.headers['cache-control']).toBe('no-store');
  });

  it('logs each answer as the router does: method, route pattern and status, never the query', async () => {
    const before = t.logLines.length;
    await get('/api/v1/navigators?zip=55401');
    await get('/api/v1/navigators?zip=55401');
    // pino writes in the background: give it a moment
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = t.logLines
      .slice(before)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'request');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toMatchObject({
        level: 30,
        method: 'GET',
        route: '/api/v1/navigators',
        status: 200,
        msg: 'request',
      });
      expect(typeof line.ms).toBe('number');
      expect(typeof line.time).toBe('string');
    }
    expect(Object.keys(lines[1]!).sort()).toEqual(Object.keys(lines[0]!).sort());
    expect(t.logLines.slice(before).join('\n')).not.toContain('55401');
  });

  it('gzips for a client that asks, as the router does', async () => {
    const path = '/api/v1/navigators?county=27137';
    const plain = await get(path);
    routed = [];
    const routedGzip = await get(`${path}&`, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(routed).toHaveLength(1);
    const fastGzip = await get(path, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(routed).toHaveLength(1);
    for (const answer of [routedGzip, fastGzip]) {
      expect(answer.headers['content-encoding']).toBe('gzip');
      expect(answer.headers.vary).toBe('Accept-Encoding');
      expect(gunzipSync(answer.body).equals(plain.body)).toBe(true);
    }
    // weights: the router decides
    await get(path, { 'Accept-Encoding': 'gzip;q=0.5, identity' });
    expect(routed).toHaveLength(2);
  });

  it('leaves to the router what it cannot answer the same way', async () => {
    const path = '/api/v1/navigators?county=Ramsey';
    await get(path);
    routed = [];
    await get(path, { Authorization: 'Bearer nwdt_not_a_token' });
    await get(path, {}, 'HEAD');
    await get('/api/v1/navigators?county=Ramsey%00');
    await get('/api/v1/navigators/?county=Ramsey');
    await get('/api/v1/navigators?county=Atlantis');
    await get('/api/v1/navigators?county=Atlantis');
    expect(routed).toHaveLength(6);
    // a refused query is never kept: it stays with the router
    const refused = await get('/api/v1/navigators?county=Atlantis');
    expect(refused.status).toBe(404);
    expect(routed).toHaveLength(7);
    // nor is a query string longer than any honest one: answered, not kept
    const long = `/api/v1/navigators?county=Ramsey&note=${'x'.repeat(300)}`;
    expect((await get(long)).status).toBe(200);
    expect((await get(long)).status).toBe(200);
    expect(routed).toHaveLength(9);
  });

  it('shows a committed change to the geography on the next request', async () => {
    const path = '/api/v1/navigators?county=Beltrami';
    const before = JSON.parse((await get(path)).body.toString()) as {
      results: { navigator: { id: string; phones: unknown[] } }[];
    };
    await get(path);
    const org = before.results[0]!.navigator.id;
    await t.database.db
      .updateTable('organizations')
      .set({
        phones: JSON.stringify([
          { dial: '+15555550199', display: '555-555-0199', description: 'synthetic test number' },
        ]),
      })
      .where('id', '=', org)
      .execute();
    await t.database.db
      .updateTable('data_versions')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('name', '=', 'geography')
      .execute();
    const after = await get(path);
    expect(after.body.toString()).toContain('+15555550199');
  });

  it('refuses past the API limit with the same 429 problem as the router, counted in PostgreSQL', async () => {
    const address = await t.database.db
      .selectFrom('rate_limits')
      .select((eb) => eb.fn.sum<number>('count').as('n'))
      .where('bucket', '=', 'api.address')
      .executeTakeFirst();
    expect(Number(address?.n)).toBeGreaterThan(0);
    let refused: Answer | undefined;
    for (let i = 0; i < 60 && !refused; i++) {
      const answer = await get('/api/v1/navigators?county=Hennepin');
      if (answer.status === 429) refused = answer;
      else expect(answer.status).toBe(200);
    }
    expect(refused).toBeDefined();
    expect(refused!.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(Number(refused!.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused!.headers['ratelimit-limit']).toBe('40');
    expect(refused!.headers['ratelimit-remaining']).toBe('0');
    const body = JSON.parse(refused!.body.toString()) as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'about:blank', status: 429, title: 'Too many requests' });
    // the router's answer to the same client says the same
    const viaRouter = await get('/api/v1/navigators?county=Hennepin&');
    expect(viaRouter.status).toBe(429);
    expect(comparable(viaRouter.headers)).toEqual(comparable(refused!.headers));
    const routerBody = JSON.parse(viaRouter.body.toString()) as Record<string, unknown>;
    expect(Object.keys(routerBody).sort()).toEqual(Object.keys(body).sort());
  });
});
