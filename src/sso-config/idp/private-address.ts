import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Ranges that are not a public internet host (IANA special-purpose registries): loopback, private
 * networks, link-local (which holds cloud metadata services at 169.254.169.254 and fe80::…),
 * carrier-grade NAT, "this network", documentation, benchmarking, multicast and reserved space.
 */
const IPV4_RANGES: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

// IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses are judged by
// the IPv4 address they carry (see embeddedIpv4), so they are not listed here.
const IPV6_RANGES: [string, number][] = [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible addresses
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments, Teredo included
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

const blocked = new BlockList();
for (const [network, prefix] of IPV4_RANGES) blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of IPV6_RANGES) blocked.addSubnet(network, prefix, 'ipv6');

/**
 * True unless `address` is an IP address of a public internet host. Anything that is not an IP
 * address counts as private, so that a caller that fails to resolve a name first fails closed.
 */
export function isPrivateAddress(address: string): boolean {
  // Brackets as in URLs; a zone (fe80::1%eth0) only ever goes with link-local addresses.
  const bare = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (isIPv4(bare)) return blocked.check(bare, 'ipv4');
  if (!isIPv6(bare)) return true;
  const embedded = embeddedIpv4(hextets(bare));
  if (embedded !== null) return isPrivateAddress(embedded);
  return blocked.check(bare, 'ipv6');
}

/** The IPv4 address an IPv6 address stands for, when it is one of the forms that reach it. */
function embeddedIpv4(h: number[]): string | null {
  const zeros = (from: number, to: number) => h.slice(from, to).every((part) => part === 0);
  const dotted = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  if (zeros(0, 5) && h[5] === 0xffff) return dotted(h[6], h[7]); // IPv4-mapped ::ffff:a.b.c.d
  if (zeros(0, 4) && h[4] === 0xffff && h[5] === 0) return dotted(h[6], h[7]); // IPv4-translated ::ffff:0:a.b.c.d
  if (h[0] === 0x64 && h[1] === 0xff9b && zeros(2, 6)) return dotted(h[6], h[7]); // NAT64 64:ff9b::a.b.c.d
  if (h[0] === 0x2002) return dotted(h[1], h[2]); // 6to4 2002:AABB:CCDD::
  return null;
}

/** The eight 16-bit groups of a valid IPv6 address (checked with isIPv6 first). */
function hextets(address: string): number[] {
  let text = address.toLowerCase();
  const dottedTail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dottedTail !== null) {
    const [a, b, c, d] = dottedTail.slice(1).map(Number);
    text = `${text.slice(0, dottedTail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const [head, tail] = text.split('::');
  if (tail === undefined) return groups(head);
  const left = groups(head);
  const right = groups(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}
