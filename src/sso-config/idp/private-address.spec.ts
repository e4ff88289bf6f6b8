import { isPrivateAddress } from './private-address';

describe('isPrivateAddress', () => {
  it.each([
    ['IPv4 loopback', '127.0.0.1'],
    ['the rest of 127/8', '127.255.0.9'],
    ['cloud metadata (link-local)', '169.254.169.254'],
    ['10/8', '10.1.2.3'],
    ['the start of 172.16/12', '172.16.0.1'],
    ['the end of 172.16/12', '172.31.255.255'],
    ['192.168/16', '192.168.1.1'],
    ['carrier-grade NAT', '100.64.0.1'],
    ['"this network"', '0.0.0.0'],
    ['documentation space', '192.0.2.10'],
    ['benchmarking space', '198.18.0.1'],
    ['multicast', '224.0.0.251'],
    ['broadcast', '255.255.255.255'],
    ['IPv6 loopback', '::1'],
    ['the unspecified IPv6 address', '::'],
    ['a bracketed IPv6 loopback', '[::1]'],
    ['unique local fc00::/7', 'fd12:3456:789a::1'],
    ['the fc half of fc00::/7', 'fc00::1'],
    ['link-local fe80::/10', 'fe80::1'],
    ['link-local with a zone', 'fe80::1%eth0'],
    ['the end of fe80::/10', 'febf::1'],
    ['IPv6 multicast', 'ff02::1'],
    ['IPv6 documentation space', '2001:db8::1'],
    ['Teredo', '2001:0:4136:e378::1'],
    ['IPv4-mapped loopback, dotted', '::ffff:127.0.0.1'],
    ['IPv4-mapped loopback, hex', '::ffff:7f00:1'],
    ['IPv4-mapped cloud metadata', '::ffff:169.254.169.254'],
    ['IPv4-mapped, written out in full', '0:0:0:0:0:ffff:a00:1'],
    ['IPv4-compatible (deprecated)', '::127.0.0.1'],
    ['NAT64 of a private address', '64:ff9b::10.0.0.1'],
    ['6to4 of a private address', '2002:c0a8:0101::1'],
    ['a host name', 'localhost'],
    ['an empty string', ''],
    ['a decimal IPv4 form', '2130706433'],
  ])('refuses %s (%s)', (_description, address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    ['a public IPv4 address', '8.8.8.8'],
    ['just below 172.16/12', '172.15.255.255'],
    ['just above 172.16/12', '172.32.0.0'],
    ['just above 100.64/10', '100.128.0.1'],
    ['a public IPv6 address', '2606:4700:4700::1111'],
    ['a public IPv6 address under 2001::/16', '2001:4860:4860::8888'],
    ['an IPv4-mapped public address', '::ffff:8.8.8.8'],
    ['NAT64 of a public address', '64:ff9b::808:808'],
    ['6to4 of a public address', '2002:808:808::1'],
  ])('accepts %s (%s)', (_description, address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});
