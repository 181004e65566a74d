import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/** `::ffff:10.0.0.1` is how Node reports an IPv4 peer on a dual-stack socket. */
export const normaliseAddress = (address: string): string =>
  address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;

/**
 * The client's address, for the audit log and the login rate limit. Behind a reverse proxy every request
 * comes from the proxy, so one operator's typos would lock out the whole control room; when the socket's peer
 * is a trusted proxy, the client is the nearest address in `X-Forwarded-For` that is not one: each proxy
 * appends the peer it saw, so reading from the right only believes what trusted proxies wrote, and a client
 * cannot pick its own address by sending the header itself.
 */
/**
 * A reverse proxy that CONSOLE_TRUSTED_PROXIES does not name makes every client behind it one address: the
 * audit log cannot tell operators apart and the login rate limit locks them out together. Says so once per
 * peer (at most 100: the header is easy to send), for the engineer who set the proxy up.
 */
export class UntrustedProxyWarning {
  private readonly warned = new Set<string>();

  check(req: IncomingMessage, trustedProxies: ReadonlySet<string>): string | undefined {
    if (req.headers['x-forwarded-for'] === undefined) return undefined;
    const peer = normaliseAddress(req.socket.remoteAddress ?? 'unknown');
    if (trustedProxies.has(peer) || this.warned.has(peer) || this.warned.size >= 100) return undefined;
    this.warned.add(peer);
    return (
      `requests from ${peer} carry X-Forwarded-For, but CONSOLE_TRUSTED_PROXIES does not name ${peer}: the audit ` +
      `log and the login rate limit see every client behind it as ${peer} (set CONSOLE_TRUSTED_PROXIES=${peer} ` +
      'if it is your reverse proxy)'
    );
  }
}

export function clientAddress(req: IncomingMessage, trustedProxies: ReadonlySet<string>): string {
  let address = normaliseAddress(req.socket.remoteAddress ?? 'unknown');
  if (!trustedProxies.has(address)) return address;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((hop) => normaliseAddress(hop.trim()))
    .filter((hop) => isIP(hop) !== 0);
  while (hops.length > 0) {
    address = hops.pop()!;
    if (!trustedProxies.has(address)) return address;
  }
  return address;
}
