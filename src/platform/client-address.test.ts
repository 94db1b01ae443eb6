import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import {
  TrustedProxies,
  clientAddress,
  clientAddresses,
  normaliseAddress,
  resolveClientAddress,
} from './client-address.ts';

const trusted = TrustedProxies.parse('10.0.0.0/8, 192.168.7.1, 2001:db8:aa::/48');
const xff = (socket: string | undefined, header: string | null) =>
  resolveClientAddress({ socket, header }, trusted, 'x-forwarded-for');
const fwd = (socket: string | undefined, header: string | null) =>
  resolveClientAddress({ socket, header }, trusted, 'forwarded');

/** Checks each case `[socket, header, client]`: `resolve` finds that client address. */
function expectClients(resolve: typeof xff, cases: [string | undefined, string, string][]) {
  for (const [socket, header, client] of cases)
    expect(resolve(socket, header), `${socket} / ${header.slice(0, 80)}`).toBe(client);
}

/**
 * Asks an app behind the middleware (proxies in 10.0.0.0/8 trusted, `options` added) for the client's
 * address of a request from 10.0.0.2 with `headers`.
 */
function behindProxy(options: { trustedProxyHeader?: 'forwarded' } = {}) {
  const app = new Hono();
  app.use(clientAddresses({ trustedProxies: ['10.0.0.0/8'], ...options }));
  app.get('/', (c) => c.text(clientAddress(c)));
  const env = { incoming: { socket: { remoteAddress: '10.0.0.2' } } };
  return async (headers: Record<string, string>) => (await app.request('/', { headers }, env)).text();
}

describe('TrustedProxies', () => {
  it('parses IPv4 and IPv6 networks and single addresses, clearing host bits', () => {
    expect(trusted.cidrs).toEqual(['10.0.0.0/8', '192.168.7.1/32', '2001:db8:aa::/48']);
    expect(TrustedProxies.parse(['172.16.5.4/12', ' fd00::1/8 ', '::ffff:10.1.0.0/112']).cidrs).toEqual([
      '172.16.0.0/12',
      'fd00::/8',
      '10.1.0.0/16',
    ]);
    expect(TrustedProxies.parse('').empty).toBe(true);
    expect(TrustedProxies.parse(' , ').empty).toBe(true);
  });

  it('matches addresses in its networks only, IPv4-mapped IPv6 as IPv4', () => {
    expect(trusted.trusts('10.255.1.2')).toBe(true);
    expect(trusted.trusts('::ffff:10.1.2.3')).toBe(true);
    expect(trusted.trusts('11.0.0.1')).toBe(false);
    expect(trusted.trusts('192.168.7.1')).toBe(true);
    expect(trusted.trusts('192.168.7.2')).toBe(false);
    expect(trusted.trusts('2001:db8:aa:ffff::1')).toBe(true);
    expect(trusted.trusts('2001:DB8:AA::9')).toBe(true);
    expect(trusted.trusts('2001:db8:ab::1')).toBe(false);
    expect(trusted.trusts('not an address')).toBe(false);
    expect(TrustedProxies.parse('0.0.0.0/0').trusts('203.0.113.1')).toBe(true);
    expect(TrustedProxies.parse('0.0.0.0/0').trusts('2001:db8::1')).toBe(false);
  });

  it('refuses what is not a network, naming the entry', () => {
    expect(() => TrustedProxies.parse('10.0.0.0/8, proxy.internal')).toThrow(/"proxy.internal" is not an IP/);
    expect(() => TrustedProxies.parse('10.0.0.0/33')).toThrow(
      /"10.0.0.0\/33" has no valid prefix length \(0 to 32/,
    );
    expect(() => TrustedProxies.parse('2001:db8::/129')).toThrow(/0 to 128/);
    expect(() => TrustedProxies.parse('10.0.0.0/')).toThrow(/prefix/);
    expect(() => TrustedProxies.parse('10.0.0.0/8x')).toThrow(/prefix/);
    expect(() => TrustedProxies.parse('300.1.1.1')).toThrow(/not an IP/);
  });
});

describe('normaliseAddress', () => {
  it('writes addresses one way', () => {
    const cases: [string, string | null][] = [
      [' 192.0.2.1 ', '192.0.2.1'],
      ['::ffff:192.0.2.1', '192.0.2.1'],
      ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
      ['2001:db8:0:1:0:0:1:0', '2001:db8:0:1::1:0'],
      ['fe80::1%eth0', 'fe80::1'],
      ['::', '::'],
      ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
      ['unknown', null],
      ['192.0.2.1:80', null],
    ];
    for (const [written, normal] of cases) expect(normaliseAddress(written), written).toBe(normal);
  });
});

describe('resolveClientAddress with X-Forwarded-For', () => {
  it('ignores the header unless the socket is a trusted proxy', () => {
    expect(xff('203.0.113.5', '198.51.100.1')).toBe('203.0.113.5');
    expect(xff('::ffff:203.0.113.5', '198.51.100.1')).toBe('203.0.113.5');
    expect(resolveClientAddress({ socket: '10.0.0.2', header: '198.51.100.1' }, TrustedProxies.none)).toBe(
      '10.0.0.2',
    );
  });

  it('takes the right-most address that is not a trusted proxy', () => {
    expectClients(xff, [
      ['10.0.0.2', '198.51.100.1', '198.51.100.1'],
      // a client-written entry on the left is ignored
      ['10.0.0.2', '1.2.3.4, 198.51.100.1', '198.51.100.1'],
      // a chain of trusted proxies is walked through
      ['10.0.0.2', '1.2.3.4, 198.51.100.1, 10.9.9.9, 192.168.7.1', '198.51.100.1'],
      // when every hop is trusted, the left-most is the client
      ['10.0.0.2', '10.1.1.1, 10.2.2.2', '10.1.1.1'],
      // a header given twice arrives joined by a comma
      ['10.0.0.2', '1.2.3.4,198.51.100.9', '198.51.100.9'],
    ]);
  });

  it('reads IPv6 and ports', () => {
    expectClients(xff, [
      ['2001:db8:aa::5', '2001:db8:1::77', '2001:db8:1::77'],
      ['10.0.0.2', '[2001:DB8:1::77]:4711', '2001:db8:1::77'],
      ['10.0.0.2', '198.51.100.1:61000', '198.51.100.1'],
      ['10.0.0.2', '::ffff:198.51.100.1', '198.51.100.1'],
      ['::ffff:10.0.0.2', '198.51.100.1', '198.51.100.1'],
    ]);
  });

  it('stops at the nearest trusted hop when an entry is not an address', () => {
    expectClients(xff, [
      ['10.0.0.2', 'unknown', '10.0.0.2'],
      ['10.0.0.2', '198.51.100.1, garbage', '10.0.0.2'],
      ['10.0.0.2', '198.51.100.1, 10.3.3.3, nonsense', '10.0.0.2'],
      ['10.0.0.2', 'garbage, 10.3.3.3', '10.3.3.3'],
      ['10.0.0.2', '', '10.0.0.2'],
      ['10.0.0.2', ' , ', '10.0.0.2'],
      ['10.0.0.2', '[2001:db8::1', '10.0.0.2'],
      ['10.0.0.2', '999.1.1.1', '10.0.0.2'],
      ['10.0.0.2', 'x'.repeat(10_000), '10.0.0.2'],
    ]);
  });

  it('answers unknown without a socket, whatever the header says', () => {
    expect(xff(undefined, '198.51.100.1')).toBe('unknown');
  });

  it('does not read a Forwarded header when the proxy writes X-Forwarded-For', () => {
    const ask = behindProxy();
    return Promise.all([
      expect(ask({ Forwarded: 'for=198.51.100.1' })).resolves.toBe('10.0.0.2'),
      expect(ask({ 'X-Forwarded-For': '198.51.100.2' })).resolves.toBe('198.51.100.2'),
    ]);
  });
});

describe('resolveClientAddress with Forwarded (RFC 7239)', () => {
  it('reads for= nodes, quoted and bracketed, from the right', () => {
    expectClients(fwd, [
      ['10.0.0.2', 'for=198.51.100.1', '198.51.100.1'],
      ['10.0.0.2', 'For="[2001:db8:cafe::17]:4711"', '2001:db8:cafe::17'],
      ['10.0.0.2', 'for=1.2.3.4;proto=https, for=198.51.100.8;by=10.0.0.2', '198.51.100.8'],
      ['10.0.0.2', 'for=1.2.3.4, for=198.51.100.8, for=10.7.7.7', '198.51.100.8'],
      ['10.0.0.2', 'for="198.51.100.3:80"', '198.51.100.3'],
    ]);
  });

  it('stops at the nearest trusted hop at an unknown or obfuscated node, or an element without for=', () => {
    expectClients(fwd, [
      ['10.0.0.2', 'for=unknown', '10.0.0.2'],
      ['10.0.0.2', 'for=198.51.100.1, for=_hidden', '10.0.0.2'],
      ['10.0.0.2', 'for=198.51.100.1, proto=https', '10.0.0.2'],
      ['10.0.0.2', 'for="198.51.100.1, 10.0.0.9"', '10.0.0.2'],
      ['10.0.0.2', 'for="unterminated', '10.0.0.2'],
      ['203.0.113.1', 'for=198.51.100.1', '203.0.113.1'],
    ]);
  });

  it('does not read X-Forwarded-For when the proxy writes Forwarded', async () => {
    const ask = behindProxy({ trustedProxyHeader: 'forwarded' });
    expect(await ask({ 'X-Forwarded-For': '198.51.100.1' })).toBe('10.0.0.2');
    expect(await ask({ Forwarded: 'for=198.51.100.2' })).toBe('198.51.100.2');
  });
});

describe('clientAddress without the middleware', () => {
  it('is the socket address, never a header', async () => {
    const app = new Hono();
    app.get('/', (c) => c.text(clientAddress(c)));
    const res = await app.request(
      '/',
      { headers: { 'X-Forwarded-For': '198.51.100.1' } },
      { incoming: { socket: { remoteAddress: '10.0.0.2' } } },
    );
    expect(await res.text()).toBe('10.0.0.2');
    expect(await (await app.request('/')).text()).toBe('unknown');
  });
});
