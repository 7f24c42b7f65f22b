import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkEndpointUrl, isForbiddenLiteral, parseAllowedHost } from './endpoints.rules';

const none = new Set<string>();

describe('SVC-8 the URL of a webhook endpoint, checked at registration', () => {
  it('SVC-8 an HTTPS URL on a public name or address is accepted, normalised, its fragment dropped', () => {
    assert.deepEqual(checkEndpointUrl('https://Portail.Paris.fr/hooks/cursus#x', none), { ok: true, url: 'https://portail.paris.fr/hooks/cursus', host: 'portail.paris.fr' });
    assert.equal(checkEndpointUrl('https://93.184.216.34:8443/in', none).ok, true);
    assert.equal(checkEndpointUrl('https://[2606:2800:220:1::1]/in', none).ok, true);
  });

  it('SVC-8 not a URL, another scheme, credentials in it, too long: refused with the reason', () => {
    for (const [input, code] of [
      ['portail.paris.fr/hooks', 'webhooks.err.url'],
      ['', 'webhooks.err.url'],
      ['ftp://portail.paris.fr/x', 'webhooks.err.url'],
      ['javascript:alert(1)', 'webhooks.err.url'],
      ['https://user:pw@portail.paris.fr/', 'webhooks.err.urlCredentials'],
      ['http://portail.paris.fr/hooks', 'webhooks.err.urlHttps'],
      [`https://portail.paris.fr/${'a'.repeat(2000)}`, 'webhooks.err.urlTooLong'],
    ] as const)
      assert.deepEqual(checkEndpointUrl(input, none), { ok: false, code }, input);
  });

  it('SVC-8 an IP literal of a loopback, private, link-local, CGNAT, unique-local or IPv4-mapped range is refused unless its host is allowed', () => {
    for (const url of [
      'https://127.0.0.1/',
      'https://10.1.2.3/',
      'https://172.20.0.1/',
      'https://192.168.1.10/',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/',
      'https://0.0.0.0/',
      'https://[::1]/',
      'https://[fd00::1]/',
      'https://[fe80::1]/',
      'https://[::ffff:10.0.0.1]/',
      'https://[::ffff:7f00:1]/',
      'https://2130706433/', // 127.0.0.1 written as a number: the URL parser makes it an address
      'https://0x7f.1/',
      'https://localhost/',
    ])
      assert.deepEqual(checkEndpointUrl(url, none), { ok: false, code: 'webhooks.err.urlPrivate' }, url);
    assert.equal(checkEndpointUrl('http://127.0.0.1:8080/in', new Set(['127.0.0.1'])).ok, true, 'allowed host: plain HTTP and a loopback address');
    assert.equal(checkEndpointUrl('https://[::1]:8443/in', new Set(['::1'])).ok, true);
  });

  it('SVC-8 the address ranges: public ones pass, the forbidden ones do not', () => {
    for (const address of ['8.8.8.8', '93.184.216.34', '2606:4700::1111']) assert.equal(isForbiddenLiteral(address), false, address);
    for (const address of ['127.0.0.2', '10.255.255.255', '172.31.0.1', '192.168.0.1', '169.254.1.1', '100.127.255.255', '224.0.0.1', '::', '::1', 'fc00::1', 'fe80::abcd', 'ff02::1', '::ffff:192.168.0.1'])
      assert.equal(isForbiddenLiteral(address), true, address);
    assert.equal(isForbiddenLiteral('not an address'), false, 'a name is checked after resolution, at delivery');
  });

  it('SVC-8 an allowed host is a name or an address, normalised; anything else is refused', () => {
    assert.equal(parseAllowedHost(' Receiver.Internal. '), 'receiver.internal');
    assert.equal(parseAllowedHost('[::1]'), '::1');
    assert.equal(parseAllowedHost('127.0.0.1'), '127.0.0.1');
    for (const bad of ['', 'https://x.fr', 'x.fr/path', 'x.fr:443', 'a b', '-x.fr', `${'a'.repeat(64)}.fr`, 'x\u0000.fr']) assert.equal(parseAllowedHost(bad), null, bad);
  });
});
