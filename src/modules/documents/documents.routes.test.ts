import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { Client, TEST_SECRET, buildLearner, buildStaff, startTestApp, type TestApp } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { courseSessions, schools } from '../catalogue/catalogue.table';
import { assignScope } from '../scopes';
import { formatCode, newCode } from './documents.rules';
import { issueDocument, revokeDocuments, type DocumentInput, type DocumentSigning, type IssuedDocument } from './documents.service';

const pathOf = (url: string) => url.slice('http://localhost:3000'.length);

describe('PAY-10 the public page of a document, /verifier/CODE', () => {
  let t: TestApp;
  let signing: DocumentSigning;
  let sessionId: number;
  let valid: IssuedDocument;
  const browsers: Record<'inScope' | 'outOfScope' | 'admin' | 'trainer' | 'learner', Client> = {} as never;
  const issue = (over: Partial<DocumentInput & { replace: boolean }> = {}) =>
    issueDocument(t.db, signing, {
      kind: 'convocation',
      subjectId: randomUUID(),
      holderName: 'DURAND-MARTIN Léa',
      title: 'Français langue étrangère A1',
      issuerName: 'École Oberkampf',
      validUntil: '2027-01-12',
      details: { 'doc.detail.place': 'Salle 12, 1 rue Test', 'doc.detail.when': '2027-01-12T08:30:00.000Z', Référence: 'R-42' },
      scopeSessionId: sessionId,
      staffPath: '/personnel/candidatures/00000000-0000-4000-8000-000000000000',
      ...over,
    });

  const staffBrowser = async (role: 'school_head' | 'admin', schoolCode?: string) => {
    const staff = await buildStaff(t.db, t.clock, role);
    if (schoolCode) await assignScope(t.db, { userId: staff.userId, schools: [schoolCode] });
    const browser = new Client(t.app);
    await browser.loginStaff(staff.email, staff.totpSecret, t.clock);
    return browser;
  };

  before(async () => {
    t = await startTestApp({ now: new Date('2026-11-23T10:00:00Z') });
    signing = { baseUrl: 'http://localhost:3000', secret: TEST_SECRET, clock: t.clock };
    await buildCatalogue(t.db, t.clock, [{ code: 'DOC-1', weekday: 1, startsAt: '09:00', endsAt: '11:00' }]);
    sessionId = (await t.db.select().from(courseSessions).where(eq(courseSessions.code, 'DOC-1')))[0].id;
    await t.db.insert(schools).values({ code: 'E-20-O', name: 'Autre école', arrondissement: 20, address: '2 rue Autre', postalCode: '75020', city: 'Paris' });
    valid = await issue();
    browsers.inScope = await staffBrowser('school_head', 'E-11-T');
    browsers.outOfScope = await staffBrowser('school_head', 'E-20-O');
    browsers.admin = await staffBrowser('admin');
    const trainer = await buildStaff(t.db, t.clock, 'trainer'); // staff, with no session in their scope
    browsers.trainer = new Client(t.app);
    await browsers.trainer.loginStaff(trainer.email, trainer.totpSecret, t.clock);
    const learner = await buildLearner(t.db, t.clock);
    browsers.learner = new Client(t.app);
    await browsers.learner.login(learner.email);
  });
  after(() => t.close());

  it('PAY-10 a valid document: genuine and valid, its kind, initials, title, dates and issuer, the signature checked, the official address; never the name, the details or the PDF', async () => {
    const page = await new Client(t.app).get(pathOf(valid.verifyUrl));
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-type'] as string, /text\/html/);
    assert.match(page.body, /<h1>Document authentique et valable<\/h1>/);
    assert.match(page.body, /La signature du code QR est authentique/);
    assert.match(page.body, /Convocation/);
    assert.match(page.body, /D\.-M\. L\./);
    assert.match(page.body, /Français langue étrangère A1/);
    assert.match(page.body, /École Oberkampf/);
    assert.match(page.body, /23 novembre 2026/, 'issued on');
    assert.match(page.body, /12 janvier 2027/, 'valid until');
    assert.match(page.body, new RegExp(formatCode(valid.code)));
    assert.match(page.body, /L’adresse officielle de ce service est <strong>localhost:3000<\/strong>/);
    assert.doesNotMatch(page.body, /DURAND|Léa/, 'initials only');
    assert.doesNotMatch(page.body, /Salle 12|R-42|Pour le personnel|personnel\/candidatures/, 'no details, no staff link');
    assert.doesNotMatch(page.body, /\.pdf/, 'never the PDF');
    assert.equal(page.headers['x-robots-tag'], 'noindex');
    const english = new Client(t.app);
    english.cookies.set('cursus_lang', 'en');
    const en = await english.get(pathOf(valid.verifyUrl));
    assert.match(en.body, /Genuine and valid document/);
    assert.match(en.body, /The official address of this service is <strong>localhost:3000<\/strong>/);
  });

  it('PAY-10 a code typed with lowercase, spaces or dashes opens the same document (no signature to check then)', async () => {
    for (const typed of [formatCode(valid.code).toLowerCase(), encodeURIComponent(` ${formatCode(valid.code).replaceAll('-', ' ')} `), valid.code]) {
      const page = await new Client(t.app).get(`/verifier/${typed}`);
      assert.equal(page.statusCode, 200, typed);
      assert.match(page.body, /Document authentique et valable/, typed);
      assert.doesNotMatch(page.body, /signature/i, typed);
    }
  });

  it('PAY-10 replaced, revoked and expired documents say so: genuine, no longer valid', async () => {
    const subjectId = randomUUID();
    const lost = await issue({ kind: 'enrollee_card', subjectId });
    const card = await issue({ kind: 'enrollee_card', subjectId, replace: true });
    const revokedSubject = randomUUID();
    const revoked = await issue({ kind: 'receipt', subjectId: revokedSubject });
    await revokeDocuments(t.db, ['receipt'], revokedSubject, 'Paiement annulé', t.clock);
    // Valid until yesterday (the clock stays: moving it would end the staff's sessions).
    const expired = await issue({ validUntil: '2026-11-22' });
    {
      const cases: [IssuedDocument, RegExp, RegExp][] = [
        [lost, /<h1>Document remplacé<\/h1>/, /remplacé par un autre : il n’est plus valable/],
        [card, /<h1>Document authentique et valable<\/h1>/, /Carte d’auditeur/],
        [revoked, /<h1>Document annulé<\/h1>/, /il a été annulé : il n’est plus valable/],
        [expired, /<h1>Document expiré<\/h1>/, /sa validité a pris fin le 22 novembre 2026/],
      ];
      for (const [doc, title, message] of cases) {
        const page = await new Client(t.app).get(pathOf(doc.verifyUrl));
        assert.equal(page.statusCode, 200);
        assert.match(page.body, title);
        assert.match(page.body, message);
        assert.match(page.body, /La signature du code QR est authentique/, 'still genuine');
      }
      assert.doesNotMatch((await new Client(t.app).get(pathOf(revoked.verifyUrl))).body, /Paiement annulé/, 'the reason is for staff');
      assert.match((await browsers.admin.get(pathOf(revoked.verifyUrl))).body, /Paiement annulé/);
    }
  });

  it('PAY-10 an unknown or malformed code: a clear "no such document" page (404), never a 500, whatever the path holds', async () => {
    const unknown = await new Client(t.app).get(`/verifier/${newCode()}`);
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.body, /<h1>Aucun document ne porte ce code<\/h1>/);
    assert.match(unknown.body, /localhost:3000/, 'the official address');
    assert.match(unknown.body, /action="\/verifier"/, 'the form to try again');
    const typo = valid.code.slice(0, 11) + (valid.code[11] === '2' ? '3' : '2');
    const mistyped = await new Client(t.app).get(`/verifier/${typo}`);
    assert.equal(mistyped.statusCode, 404);
    assert.match(mistyped.body, /Un des caractères de ce code est erroné/);
    for (const path of ['abc', '%00', `${valid.code}%00`, 'A'.repeat(5_000), '%F0%9F%98%80', '..%2F..%2Fetc%2Fpasswd', 'a/b/c', '<script>alert(1)</script>', "' or 1=1 --", encodeURIComponent('ＡＢＣ')]) {
      const page = await new Client(t.app).get(`/verifier/${path}`);
      assert.equal(page.statusCode, 404, path.slice(0, 40));
      assert.match(page.body, /Aucun document ne porte ce code/, path.slice(0, 40));
      assert.doesNotMatch(page.body, /\u0000|<script>alert/, 'what was typed is shown safely');
    }
    assert.equal((await new Client(t.app).get('/verifier/')).headers.location, '/verifier');
  });

  it('PAY-10 a link whose signature was tampered with, or belongs to another document, is flagged; the register still answers', async () => {
    const other = await issue();
    const s = new URL(valid.verifyUrl).searchParams.get('s')!;
    const [header, payload, signature] = s.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), u: '2099-12-31' })).toString('base64url');
    for (const query of [`s=${header}.${forged}.${signature}`, `s=${new URL(other.verifyUrl).searchParams.get('s')}`, 's=garbage', 's=a&s=b', 's=%00', `s=${'x'.repeat(5_000)}`]) {
      const page = await new Client(t.app).get(`/verifier/${valid.code}?${query}`);
      assert.equal(page.statusCode, 200, query.slice(0, 40));
      assert.match(page.body, /La signature portée par ce lien ne correspond pas à ce document/, query.slice(0, 40));
      assert.match(page.body, /Document authentique et valable/, 'the register says the code is valid');
      assert.doesNotMatch(page.body, /La signature du code QR est authentique/);
    }
  });

  it('PAY-10 staff logged in and in scope see their fuller view: the name, the details, the link to the sheet; out of scope, the public view only', async () => {
    for (const who of ['inScope', 'admin'] as const) {
      const page = await browsers[who].get(pathOf(valid.verifyUrl));
      assert.match(page.body, /<h2 id="staff-view">Pour le personnel<\/h2>/, who);
      assert.match(page.body, /DURAND-MARTIN Léa/, who);
      assert.match(page.body, /Lieu<\/dt><dd>Salle 12, 1 rue Test/, who);
      assert.match(page.body, /Date et heure<\/dt><dd>12 janvier 2027 à 09:30/, `${who}: the date in the reader’s words`);
      assert.match(page.body, /Référence<\/dt><dd>R-42/, who);
      assert.match(page.body, /href="\/personnel\/candidatures\/00000000-0000-4000-8000-000000000000"/, who);
    }
    for (const who of ['outOfScope', 'trainer', 'learner'] as const) {
      const page = await browsers[who].get(pathOf(valid.verifyUrl));
      assert.equal(page.statusCode, 200, who);
      assert.match(page.body, /Document authentique et valable/, who);
      assert.doesNotMatch(page.body, /Pour le personnel|DURAND|Salle 12|personnel\/candidatures\//, who);
    }
    const unscoped = await issue({ scopeSessionId: null });
    assert.doesNotMatch((await browsers.inScope.get(pathOf(unscoped.verifyUrl))).body, /Pour le personnel/, 'no session: administrators only');
    assert.match((await browsers.admin.get(pathOf(unscoped.verifyUrl))).body, /Pour le personnel/);
  });

  it('PAY-10 /verifier: an accessible form to type a code; a code that cannot be one is refused next to the field, what was typed kept', async () => {
    const form = await new Client(t.app).get('/verifier');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<h1>Vérifier un document<\/h1>/);
    assert.match(form.body, /<label for="code">Code du document/);
    assert.match(form.body, /aria-describedby="code-hint"/);
    const typed = await new Client(t.app).get(`/verifier?code=${encodeURIComponent(formatCode(valid.code).toLowerCase())}`);
    assert.equal(typed.statusCode, 303);
    assert.equal(typed.headers.location, `/verifier/${valid.code}`);
    const bad = await new Client(t.app).get('/verifier?code=ABC-0O1');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="code-error"[^>]*>Ce code n’a pas la forme d’un code de document/);
    assert.match(bad.body, /aria-invalid="true"/);
    assert.match(bad.body, /value="ABC-0O1"/);
    const nul = await new Client(t.app).get('/verifier?code=AB%00CD');
    assert.equal(nul.statusCode, 400);
    assert.match(nul.body, /value="ABCD"/);
    assert.equal((await new Client(t.app).get('/verifier?code=a&code=b')).statusCode, 400);
  });

  it('PAY-10 the public keys are published at a stable address, without their private part', async () => {
    const response = await new Client(t.app).get('/verifier/cles.json');
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /application\/jwk-set\+json/);
    const { keys } = JSON.parse(response.body) as { keys: Record<string, string>[] };
    assert.ok(keys.length >= 1);
    for (const key of keys) {
      assert.equal(key.kty, 'EC');
      assert.equal(key.alg, 'ES256');
      assert.equal(key.d, undefined);
    }
    const kid = JSON.parse(Buffer.from(new URL(valid.verifyUrl).searchParams.get('s')!.split('.')[0], 'base64url').toString()).kid;
    assert.ok(keys.some((k) => k.kid === kid));
  });
});

describe('PAY-10 lookups of the public page are rate-limited per source', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ policies: { documentLookupsPerIpPer10Min: 3 } });
  });
  after(() => t.close());

  it('PAY-10 past the policy’s number of lookups from one address in 10 minutes, the 429 page; another address is not slowed', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await t.app.inject({ url: `/verifier/${newCode()}` })).statusCode, 404);
    const limited = await t.app.inject({ url: `/verifier/${newCode()}` });
    assert.equal(limited.statusCode, 429);
    assert.match(limited.body, /<h1>/);
    assert.ok(Number(limited.headers['retry-after']) > 0);
    const elsewhere = await t.app.inject({ url: `/verifier/${newCode()}`, remoteAddress: '192.0.2.7' });
    assert.equal(elsewhere.statusCode, 404);
  });
});
