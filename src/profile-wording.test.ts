import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import './messages';
import { Client, buildLearner, emailsTo, startTestApp, type TestApp } from '../test/app';
import { pdfText, squash } from '../test/pdf';
import { enrolleeCardPdf } from './modules/payments/documents.pdf';
import { currentProfile, setProcessProfile, translator, withProfile } from './platform/i18n';

const card = {
  locale: 'fr' as const,
  holderName: 'Léa Durand',
  sessionTitle: 'Programmation Java : initiation',
  sessionCode: 'NFA031-S1-2026',
  schoolName: 'Espace numérique de formation',
  code: 'K7M3-PQ9X-W2AB',
  verifyUrl: 'https://formation.example.org/verifier/K7M3PQ9XW2AB?s=abc',
  year: '2026-2027',
  cardNumber: '2026-000123',
  issuedAt: new Date('2026-10-15T08:00:00Z'),
  stamps: { attendance: false, skills: false },
};

describe('emails, PDFs and the command line speak the profile’s words (issue 18)', () => {
  let credits: TestApp;
  before(async () => {
    credits = await startTestApp({ config: { CURSUS_PROFILE: 'credits' } });
  });
  after(() => credits.close());

  it('CRED-1 a translator made without a profile speaks the profile of the work under way: the request’s app, else the process’s; municipal by default', () => {
    assert.equal(currentProfile(), 'municipal');
    assert.equal(translator('fr')('service.name'), 'Cours municipaux d’adultes');
    assert.equal(withProfile('credits', () => translator('fr')('service.name')), 'Centre de formation continue');
    assert.equal(withProfile('credits', () => translator('fr', 'municipal')('service.name')), 'Cours municipaux d’adultes', 'a profile given wins');
    setProcessProfile('credits');
    try {
      assert.equal(translator('en')('service.name'), 'Continuing-education centre', 'the command line and the worker: the configured profile');
    } finally {
      setProcessProfile('municipal');
    }
    assert.equal(translator('fr')('service.name'), 'Cours municipaux d’adultes');
  });

  it('CRED-1 an email queued by a request of the credits app carries the credits service’s name, not the city’s help line', async () => {
    const user = await buildLearner(credits.db, credits.clock);
    const browser = new Client(credits.app);
    const asked = await browser.submit('/mot-de-passe-oublie', '/mot-de-passe-oublie', { email: user.email });
    assert.ok(asked.statusCode < 400, String(asked.statusCode));
    const [email] = await emailsTo(credits.db, user.email);
    assert.ok(email, 'the reset email is queued');
    assert.match(email.text, /Centre de formation continue/);
    assert.doesNotMatch(email.text, /3975/);
    // Outside any request (a municipal process), the same email keeps the municipal words.
    assert.match(translator('fr')('email.footer'), /3975/);
  });

  it('CRED-1 a PDF drawn in the credits profile names the credits service; in the municipal one, the city’s', async () => {
    const text = pdfText(await withProfile('credits', () => enrolleeCardPdf(card)));
    assert.ok(text.includes(squash('Centre de formation continue')), text);
    const municipal = pdfText(await enrolleeCardPdf(card));
    assert.ok(municipal.includes(squash('Cours municipaux d’adultes')) && !municipal.includes(squash('Centre de formation continue')), municipal);
  });
});
