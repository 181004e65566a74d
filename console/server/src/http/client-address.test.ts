import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, UntrustedProxyWarning } from './client-address';

const request = (remoteAddress: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

const proxies = new Set(['10.0.0.2', '10.0.0.3']);

describe('clientAddress', () => {
  it.each([
    {
      name: 'no proxy configured: the peer, whatever the header says',
      peer: '203.0.113.9',
      xff: '1.2.3.4',
      trusted: new Set<string>(),
      want: '203.0.113.9',
    },
    {
      name: 'an untrusted peer cannot choose its address',
      peer: '203.0.113.9',
      xff: '1.2.3.4',
      trusted: proxies,
      want: '203.0.113.9',
    },
    {
      name: 'a trusted proxy: the address it saw',
      peer: '10.0.0.2',
      xff: '198.51.100.7',
      trusted: proxies,
      want: '198.51.100.7',
    },
    {
      name: 'a spoofed hop left of the real one is ignored',
      peer: '10.0.0.2',
      xff: '1.2.3.4, 198.51.100.7',
      trusted: proxies,
      want: '198.51.100.7',
    },
    {
      name: 'two trusted proxies in a row',
      peer: '10.0.0.2',
      xff: '198.51.100.7, 10.0.0.3',
      trusted: proxies,
      want: '198.51.100.7',
    },
    {
      name: 'IPv4-mapped IPv6 peers match trusted IPv4 addresses',
      peer: '::ffff:10.0.0.2',
      xff: '198.51.100.7',
      trusted: proxies,
      want: '198.51.100.7',
    },
    {
      name: 'a trusted proxy without the header: the proxy',
      peer: '10.0.0.2',
      xff: undefined,
      trusted: proxies,
      want: '10.0.0.2',
    },
    {
      name: 'garbage hops are skipped',
      peer: '10.0.0.2',
      xff: '198.51.100.7, not-an-ip',
      trusted: proxies,
      want: '198.51.100.7',
    },
  ])('$name', ({ peer, xff, trusted, want }) => {
    expect(clientAddress(request(peer, xff), trusted)).toBe(want);
  });
});

describe('UntrustedProxyWarning', () => {
  it('names a peer that forwards for others but is not trusted, once', () => {
    const warn = new UntrustedProxyWarning();
    expect(warn.check(request('10.0.0.9', '203.0.113.9'), proxies)).toMatch(
      /10\.0\.0\.9 .*X-Forwarded-For.*CONSOLE_TRUSTED_PROXIES.*every client behind it as 10\.0\.0\.9/,
    );
    expect(warn.check(request('10.0.0.9', '203.0.113.10'), proxies)).toBeUndefined();
    // A trusted proxy, or a request without the header, is nothing to warn about.
    expect(warn.check(request('10.0.0.2', '203.0.113.9'), proxies)).toBeUndefined();
    expect(warn.check(request('10.0.0.8'), proxies)).toBeUndefined();
  });
});
