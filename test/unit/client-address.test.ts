import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClientAddressResolver, parseTrustedProxies, TrustedProxyError } from '../../console/client-address.ts';

describe('client address behind proxies', () => {
  it('without trusted proxies, X-Forwarded-For is ignored: the socket peer is the client', () => {
    const resolve = createClientAddressResolver([]);
    assert.equal(resolve('10.0.0.5', '203.0.113.7'), '10.0.0.5');
    assert.equal(resolve('::ffff:10.0.0.5', undefined), '10.0.0.5');
    assert.equal(resolve(undefined, '203.0.113.7'), 'unknown');
  });

  it('believes the header only from a trusted peer, and takes the rightmost untrusted hop', () => {
    const resolve = createClientAddressResolver(['10.0.0.0/8', '192.0.2.1']);
    assert.equal(resolve('10.1.2.3', '203.0.113.7'), '203.0.113.7');
    assert.equal(resolve('::ffff:10.1.2.3', '203.0.113.7'), '203.0.113.7', 'a dual-stack socket reports IPv4 peers mapped');
    assert.equal(resolve('198.51.100.9', '203.0.113.7'), '198.51.100.9', 'an untrusted peer cannot name another address');
    // The client wrote the first entry itself; the proxies appended the rest.
    assert.equal(resolve('10.1.2.3', '1.2.3.4, 203.0.113.7, 192.0.2.1'), '203.0.113.7');
    assert.equal(resolve('10.1.2.3', '1.2.3.4,203.0.113.7'), '203.0.113.7');
    assert.equal(resolve('10.1.2.3', undefined), '10.1.2.3');
  });

  it('when every hop is trusted the leftmost is taken; a malformed hop stops at the last trusted one', () => {
    const resolve = createClientAddressResolver(['10.0.0.0/8']);
    assert.equal(resolve('10.0.0.1', '10.9.9.9, 10.0.0.2'), '10.9.9.9');
    assert.equal(resolve('10.0.0.1', 'not-an-ip, 10.0.0.2'), '10.0.0.2');
    assert.equal(resolve('10.0.0.1', 'unknown'), '10.0.0.1');
  });

  it('matches IPv6 ranges', () => {
    const resolve = createClientAddressResolver(['fd00::/8', '::1']);
    assert.equal(resolve('::1', '2001:db8::42'), '2001:db8::42');
    assert.equal(resolve('fd12:3456::1', '2001:db8::42, fd00::7'), '2001:db8::42');
    assert.equal(resolve('2001:db8::1', '2001:db8::42'), '2001:db8::1');
  });

  it('refuses entries that are neither addresses nor CIDR ranges', () => {
    for (const bad of ['', 'localhost', '10.0.0.1/', '10.0.0.1/x', '10.0.0.0/33', '::/129', '10.0.0.1/8/8']) {
      assert.throws(() => parseTrustedProxies([bad]), TrustedProxyError, JSON.stringify(bad));
    }
    assert.equal(parseTrustedProxies(['0.0.0.0/0'])('203.0.113.7'), true);
  });
});
