/**
 * The address a request came from, for the login throttle and the audit log. Behind a reverse
 * proxy the socket's peer is the proxy, so every operator would share one address (and five wrong
 * guesses at one username would lock its owner out everywhere). `X-Forwarded-For` names the real
 * client, but anyone can send that header: it is believed only when the socket's peer is one of
 * the deployer's trusted proxies (KOMEK_TRUSTED_PROXIES), and then only as far as trusted hops go.
 */
import { BlockList, isIP } from 'node:net';

/** Thrown for a trusted-proxy entry that is neither an address nor a CIDR range. */
export class TrustedProxyError extends Error {
  override name = 'TrustedProxyError';
  constructor(readonly entry: string) {
    super(`"${entry}" is not an IP address or CIDR range (e.g. 10.0.0.1, 10.0.0.0/8, fd00::/8)`);
  }
}

/** Resolves the client's address from the socket's peer and the X-Forwarded-For header. */
export type ClientAddressResolver = (socketAddress: string | undefined, forwardedFor: string | undefined) => string;

/** `::ffff:10.0.0.1` (a dual-stack socket's IPv4 peer) is 10.0.0.1, so IPv4 ranges match it. */
function plain(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/**
 * Parses trusted-proxy entries (addresses and CIDR ranges, IPv4 or IPv6) into a matcher;
 * throws {@link TrustedProxyError} on the first malformed one.
 */
export function parseTrustedProxies(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(plain(address));
    if (family === 0 || extra !== undefined) throw new TrustedProxyError(entry);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) {
      list.addAddress(plain(address), type);
      continue;
    }
    const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!(bits >= 0 && bits <= (family === 4 ? 32 : 128))) throw new TrustedProxyError(entry);
    list.addSubnet(plain(address), bits, type);
  }
  return function trusted(address) {
    const a = plain(address);
    const family = isIP(a);
    return family !== 0 && list.check(a, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/**
 * A resolver for these trusted proxies. With none (the default), the socket's peer is the
 * client and the header is ignored. Otherwise, when the peer is trusted, the header is read from
 * the right (each proxy appends the peer it saw): the first address that is not a trusted proxy
 * is the client. Entries further left were written by the client itself and are never used,
 * unless every hop is trusted, when the leftmost is the best there is. A malformed entry stops
 * the walk at the last trusted hop, which is then taken as the client.
 */
export function createClientAddressResolver(trustedProxies: readonly string[]): ClientAddressResolver {
  const trusted = parseTrustedProxies(trustedProxies);
  const none = trustedProxies.length === 0;
  return function clientAddress(socketAddress, forwardedFor) {
    if (!socketAddress) return 'unknown';
    let client = plain(socketAddress);
    if (none || !forwardedFor || !trusted(client)) return client;
    const hops = forwardedFor.split(',').map((s) => plain(s.trim()));
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!;
      if (isIP(hop) === 0) break;
      client = hop;
      if (!trusted(hop)) break;
    }
    return client;
  };
}
