/**
 * The client's address, the one place it is decided: for the audit log, the sign-in throttle and the
 * public form limits alike.
 *
 * Behind a load balancer every request arrives from the balancer's own address, so counting by socket
 * would put every visitor in one bucket (twenty failed sign-ins from anyone would slow everyone). The
 * balancer says who connected to it in `X-Forwarded-For` (or `Forwarded`, RFC 7239), but any client can
 * write those headers too. So the header is read only when the socket address is a configured trusted
 * proxy (`NWD_TRUSTED_PROXIES`), and then from the right: each proxy appends the address that connected
 * to it, so the right-most address that is not itself a trusted proxy is the first one no client could
 * have chosen. Whatever stands further left is ignored. An entry that is not an address (`unknown`, an
 * obfuscated name, garbage) stops the walk at the nearest trusted hop, so a client can never pick the
 * key it is counted under.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { isIPv4, isIPv6 } from 'node:net';
import { ipv6Groups } from './rate-limit/address.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The client address decided by `clientAddresses()`; read it with `clientAddress(c)`. */
    clientAddress: string;
  }
}

/** The header a trusted proxy writes: `X-Forwarded-For` (the common one) or `Forwarded` (RFC 7239). */
export type ForwardingHeader = 'x-forwarded-for' | 'forwarded';
export const FORWARDING_HEADERS: readonly ForwardingHeader[] = ['x-forwarded-for', 'forwarded'];

/** What an address is compared as: its family and its bits. */
interface Parsed {
  family: 4 | 6;
  bits: bigint;
}

/** An IPv4 or IPv6 address as text (IPv4-mapped IPv6 as IPv4, IPv6 in lowercase), or null. */
export function normaliseAddress(text: string): string | null {
  const parsed = parseAddress(text);
  if (!parsed) return null;
  return parsed.family === 4 ? ipv4Text(parsed.bits) : ipv6Text(parsed.bits);
}

function parseAddress(text: string): Parsed | null {
  let a = text.trim().toLowerCase();
  const zone = a.indexOf('%');
  if (zone >= 0 && a.includes(':')) a = a.slice(0, zone);
  if (isIPv4(a)) {
    const bits = a.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
    return { family: 4, bits };
  }
  if (!isIPv6(a)) return null;
  const bits = ipv6Groups(a).reduce((n, g) => (n << 16n) | BigInt(g), 0n);
  // ::ffff:a.b.c.d is an IPv4 client on a dual-stack socket.
  if (bits >> 32n === 0xffffn) return { family: 4, bits: bits & 0xffffffffn };
  return { family: 6, bits };
}

function ipv4Text(bits: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((bits >> s) & 0xffn)).join('.');
}

function ipv6Text(bits: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((bits >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: the longest run of two or more zero groups becomes "::".
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j;
  }
  const hex = (list: number[]) => list.map((g) => g.toString(16)).join(':');
  if (best.at < 0) return hex(groups);
  return `${hex(groups.slice(0, best.at))}::${hex(groups.slice(best.at + best.length))}`;
}

/** One trusted network. */
interface Network {
  family: 4 | 6;
  prefix: number;
  base: bigint;
}

/**
 * The trusted proxies: networks in CIDR notation (`10.0.0.0/8`, `fd00::/8`) or single addresses.
 * IPv4 networks also match IPv4-mapped IPv6 socket addresses (`::ffff:10.1.2.3`).
 *
 * @example
 * const trusted = TrustedProxies.parse('10.0.0.0/8, 2001:db8::/32');
 * trusted.trusts('10.4.5.6'); // true
 * trusted.cidrs; // ['10.0.0.0/8', '2001:db8::/32']
 */
export class TrustedProxies {
  static readonly none = new TrustedProxies([]);

  private constructor(private readonly networks: readonly Network[]) {}

  /**
   * Parses a comma-separated list (or an array) of CIDRs; throws a RangeError naming the first entry
   * that is not one. Host bits are cleared (`10.1.2.3/8` is `10.0.0.0/8`).
   */
  static parse(list: string | readonly string[]): TrustedProxies {
    const entries = (typeof list === 'string' ? list.split(',') : list)
      .map((e) => e.trim())
      .filter((e) => e !== '');
    return new TrustedProxies(entries.map(parseNetwork));
  }

  /** The networks as normalised CIDR text, e.g. for the configuration and the logs. */
  get cidrs(): string[] {
    return this.networks.map((n) => `${n.family === 4 ? ipv4Text(n.base) : ipv6Text(n.base)}/${n.prefix}`);
  }

  get empty(): boolean {
    return this.networks.length === 0;
  }

  /** Whether `address` (text) lies in a trusted network. */
  trusts(address: string): boolean {
    const parsed = parseAddress(address);
    if (!parsed) return false;
    return this.networks.some((n) => n.family === parsed.family && maskOf(parsed.bits, n) === n.base);
  }
}

function maskOf(bits: bigint, n: Pick<Network, 'family' | 'prefix'>): bigint {
  const width = n.family === 4 ? 32 : 128;
  const host = BigInt(width - n.prefix);
  return (bits >> host) << host;
}

function parseNetwork(entry: string): Network {
  const slash = entry.indexOf('/');
  const address = slash < 0 ? entry : entry.slice(0, slash);
  const parsed = address.includes('%') ? null : parseAddress(address);
  if (!parsed) {
    throw new RangeError(
      `"${entry.slice(0, 60)}" is not an IP address or network (expected e.g. 10.0.0.0/8 or fd00::/8).`,
    );
  }
  // An IPv4-mapped network (::ffff:10.0.0.0/104) is written with an IPv6 prefix; it is kept as IPv4.
  const mapped = parsed.family === 4 && isIPv6(address.trim());
  const width = parsed.family === 4 && !mapped ? 32 : 128;
  let prefix = width;
  if (slash >= 0) {
    const text = entry.slice(slash + 1);
    prefix = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
    if (!(prefix >= 0 && prefix <= width)) {
      throw new RangeError(
        `"${entry.slice(0, 60)}" has no valid prefix length (0 to ${width} after the "/").`,
      );
    }
  }
  if (mapped) prefix = Math.max(0, prefix - 96);
  const network = { family: parsed.family, prefix };
  return { ...network, base: maskOf(parsed.bits, network) };
}

/** One entry of `X-Forwarded-For` (`192.0.2.1`, `192.0.2.1:443`, `[2001:db8::1]:443`, `2001:db8::1`). */
function forwardedNode(raw: string): string | null {
  let node = raw.trim();
  if (node.startsWith('"') && node.endsWith('"') && node.length >= 2) node = node.slice(1, -1).trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(node);
  if (bracketed)
    return isIPv6(bracketed[1]?.split('%')[0] ?? '') ? normaliseAddress(bracketed[1] ?? '') : null;
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(node);
  if (v4port) node = v4port[1] ?? '';
  return normaliseAddress(node);
}

/** The `for=` nodes of an RFC 7239 `Forwarded` header, left to right; null where there is no address. */
function forwardedFor(header: string): (string | null)[] {
  const elements: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const ch = header[i];
    if (quoted && ch === '\\') {
      current += header[i + 1] ?? '';
      i += 1;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      elements.push(current);
      current = '';
    } else current += ch;
  }
  elements.push(current);
  return elements.map((element) => {
    const pair = element
      .split(';')
      .map((p) => p.trim())
      .find((p) => /^for=/i.test(p));
    return pair ? forwardedNode(pair.slice(4)) : null;
  });
}

export interface ForwardedRequest {
  /** The socket's remote address (undefined when there is no socket, e.g. in tests). */
  socket: string | undefined;
  /** The value of the forwarding header, if any (several copies joined by commas). */
  header: string | null | undefined;
}

/**
 * The client address of a request: the socket's, unless the socket is a trusted proxy and the
 * forwarding header names another address (see the module comment). Normalised text; `unknown` when
 * there is no socket address.
 *
 * @example
 * const trusted = TrustedProxies.parse('10.0.0.0/8');
 * resolveClientAddress({ socket: '10.0.0.2', header: '203.0.113.9, 198.51.100.7' }, trusted, 'x-forwarded-for'); // '198.51.100.7'
 * resolveClientAddress({ socket: '192.0.2.1', header: '198.51.100.7' }, trusted, 'x-forwarded-for'); // '192.0.2.1'
 */
export function resolveClientAddress(
  request: ForwardedRequest,
  trusted: TrustedProxies,
  header: ForwardingHeader = 'x-forwarded-for',
): string {
  const socket = request.socket === undefined ? null : normaliseAddress(request.socket);
  if (socket === null) return request.socket?.trim().slice(0, 64) || 'unknown';
  if (trusted.empty || !trusted.trusts(socket) || !request.header) return socket;
  const entries =
    header === 'forwarded' ? forwardedFor(request.header) : request.header.split(',').map(forwardedNode);
  let client = socket;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    // Not an address: whoever wrote it, the nearest trusted hop is all that is known.
    if (entry === null || entry === undefined) return client;
    client = entry;
    if (!trusted.trusts(entry)) return entry;
  }
  // Every hop is a trusted proxy: the left-most one is the client.
  return client;
}

/** The socket's remote address under @hono/node-server, if there is one. */
function socketAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

export interface ClientAddressOptions {
  /** CIDRs of the proxies whose forwarding header is believed (`NWD_TRUSTED_PROXIES`); none by default. */
  trustedProxies?: readonly string[];
  /** The header those proxies write (`NWD_TRUSTED_PROXY_HEADER`); `x-forwarded-for` by default. */
  trustedProxyHeader?: ForwardingHeader;
}

/**
 * The middleware that decides each request's client address once, for `clientAddress(c)`. Mounted
 * first in the app, with the configuration's trusted proxies.
 *
 * @example
 * app.use(clientAddresses({ trustedProxies: ['10.0.0.0/8'] }));
 */
export function clientAddresses(options: ClientAddressOptions = {}): MiddlewareHandler {
  const trusted = TrustedProxies.parse(options.trustedProxies ?? []);
  const header = options.trustedProxyHeader ?? 'x-forwarded-for';
  return async (c, next) => {
    c.set(
      'clientAddress',
      resolveClientAddress({ socket: socketAddress(c), header: c.req.header(header) }, trusted, header),
    );
    await next();
  };
}

/**
 * The client address of the request: the one every part of the service uses (audit, throttles,
 * limits). Without the middleware (a handler tested on its own) no proxy is trusted.
 *
 * @example
 * recordAudit(trx, { …, ip: clientAddress(c) });
 */
export function clientAddress(c: Context): string {
  const decided = c.get('clientAddress') as string | undefined;
  return decided ?? resolveClientAddress({ socket: socketAddress(c), header: null }, TrustedProxies.none);
}
