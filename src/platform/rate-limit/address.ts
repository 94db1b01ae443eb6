/**
 * The key under which a client address is counted.
 */
import { isIPv4, isIPv6 } from 'node:net';

/**
 * Normalises a client address for counting: an IPv4 address as it is, an IPv4-mapped IPv6 address as
 * its IPv4 address, and an IPv6 address as its /64 network, because one subscriber usually holds a
 * whole /64 and could otherwise take a fresh address for every attempt. Anything else (no address
 * known) is trimmed and lowercased, so that all such requests share one counter.
 *
 * @example
 * addressKey('192.0.2.10'); // '192.0.2.10'
 * addressKey('::ffff:192.0.2.10'); // '192.0.2.10'
 * addressKey('2001:db8:0:1:aaaa::1'); // '2001:db8:0:1::/64'
 */
export function addressKey(address: string): string {
  let a = address.trim().toLowerCase();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const zone = a.indexOf('%');
  if (zone >= 0 && a.includes(':')) a = a.slice(0, zone);
  if (isIPv4(a)) return a;
  if (!isIPv6(a)) return a;
  const groups = ipv6Groups(a);
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (without zone). */
export function ipv6Groups(address: string): number[] {
  const parse = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const piece of part.split(':')) {
      if (piece.includes('.')) {
        const [a = 0, b = 0, c = 0, d = 0] = piece.split('.').map(Number);
        out.push((a << 8) | b, (c << 8) | d);
      } else {
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const gap = address.indexOf('::');
  if (gap < 0) return parse(address);
  const head = parse(address.slice(0, gap));
  const tail = parse(address.slice(gap + 2));
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}
