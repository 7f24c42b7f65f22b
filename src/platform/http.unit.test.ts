import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeReturnPath } from './http';

/**
 * `?retour=` after the query string is decoded: the value the language switch, the login and
 * the sign-up (and its activation email) send a person back to. Only a path of this site, in
 * characters a Location header and every browser read the same way; anything else goes home.
 */
describe('safeReturnPath: a same-site path, or nothing', () => {
  const kept = [
    '/',
    '/compte',
    '/formations/ANG#S1',
    '/candidatures?message=confirmed',
    '/candidatures/3f1c2a9e-4b7d-4c1e-9a2b-1c3d5e7f9a0b/situation?retour=verification',
    // The app writes these itself: a search typed with accents or spaces, percent-encoded.
    '/personnel/apprenants?q=Cl%C3%A9ment%20Dupont',
    '/personnel/apprenants?q=Jean+Dupont&naissance=1990-05-17',
    "/a-b_c.d~e!$&'()*+,;=:@/f",
  ];
  for (const value of kept) it(`keeps ${JSON.stringify(value)}`, () => assert.equal(safeReturnPath(value), value));

  const refused: [string, unknown][] = [
    ['a tab that browsers drop (//evil.example)', '/\t/evil.example'],
    ['a percent-encoded tab', '/%09/evil.example'],
    ['a tab encoded twice', '/%2509/evil.example'],
    ['a line feed', '/\n/evil.example'],
    ['CR/LF (a header injection)', '/compte\r\nSet-Cookie: x=1'],
    ['CR/LF percent-encoded', '/compte%0D%0ASet-Cookie:%20x=1'],
    ['a NUL byte', '/compte\u0000'],
    ['a NUL byte percent-encoded', '/compte%00'],
    ['DEL', '/compte\u007f'],
    ['a C1 control', '/compte\u0085'],
    ['another site, protocol-relative', '//evil.example'],
    ['another site, three slashes', '///evil.example'],
    ['a backslash that browsers read as a slash', '/\\evil.example'],
    ['slash backslash slash', '/\\/evil.example'],
    ['a backslash further on', '/compte\\..\\x'],
    ['a slash percent-encoded', '/%2F/evil.example'],
    ['a slash percent-encoded twice', '/%252F/evil.example'],
    ['a backslash percent-encoded', '/%5Cevil.example'],
    ['a double slash further on', '/.//evil.example'],
    ['a space', '/ /evil.example'],
    ['a leading space', ' /compte'],
    ['a no-break space', '/\u00a0/evil.example'],
    ['a line separator', '/compte\u2028'],
    ['non-Latin-1 text (a 500 in a Location header)', '/€'],
    ['Latin-1 text not percent-encoded', '/café'],
    ['an emoji', '/😀'],
    ['a malformed percent escape', '/%zz'],
    ['a lone percent sign', '/compte%'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a javascript: URL percent-encoded', 'javascript%3Aalert(1)'],
    ['an absolute URL', 'https://evil.example/'],
    ['a host without a slash', 'evil.example'],
    ['a relative path', 'compte'],
    ['the empty string', ''],
    ['too long', `/${'a'.repeat(500)}`],
    ['not a string', 42],
    ['a list (?retour=a&retour=b)', ['/a', '/b']],
    ['undefined', undefined],
  ];
  for (const [what, value] of refused) it(`refuses ${what}`, () => assert.equal(safeReturnPath(value), undefined));
});
