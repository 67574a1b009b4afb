/**
 * Where an integration may send. A tenant admin chooses the PSA and On-Call base
 * URLs, and the BFF then calls them from inside the network it runs in: pointed at
 * 127.0.0.1, a private network or a cloud metadata address, that call would reach
 * what the admin cannot (server-side request forgery). By default (`public`) such
 * receivers are refused when the settings are saved, before every call, and at
 * connect time: the socket connects to the address our own lookup checked, so a DNS
 * answer that changes in between (rebinding) is caught too.
 * A deployment whose PSA lives on its own network sets
 * BHM_INTEGRATION_NETWORKS=any.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** `public`: refuse loopback, private, link-local and other non-public receivers; `any`: allow every address. */
export type IntegrationNetworks = 'public' | 'any';

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
// Prefixes that embed an IPv4 address (NAT64, 6to4, IPv4-compatible) are refused as a
// whole rather than decoded: a receiver reached only through them is rare.
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback, IPv4-compatible
  ['64:ff9b::', 96], // NAT64
  ['64:ff9b:1::', 48], // local-use NAT64
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** Whether `address` (an IP literal) is one a `public` policy refuses. IPv4-mapped IPv6 counts as its IPv4 address. */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return false;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Resolves a host name to its addresses (injectable for tests). */
export type Resolver = (host: string) => Promise<string[]>;

const systemResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * Null when `url` may be called under `networks`, else why not (a sentence for the
 * admin). A name that does not resolve passes here: the call resolves it again at
 * connect time and refuses an internal answer then (outbox/http.ts).
 */
export async function receiverRefusal(url: string, networks: IntegrationNetworks, resolve: Resolver = systemResolver): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL.`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `Only http and https receivers are supported, not ${parsed.protocol}`;
  if (networks === 'any') return null;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      return null;
    }
  }
  if (!addresses.some(isNonPublicAddress)) return null;
  // The address itself is not named: the answer must not turn into a way to map internal DNS.
  return `${parsed.host} resolves to a loopback, private or link-local address; this server only calls public receivers (set BHM_INTEGRATION_NETWORKS=any to allow internal ones).`;
}
