import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { Client, buildLearner, emailsTo, startTestApp, type TestApp } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { importLegacyFiles } from './legacy.import';

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const textOf = (html: string) => decode(html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

describe('the former account’s page, /compte/ancien-compte (ACC-9)', () => {
  let t: TestApp;
  const as = async (email: string) => {
    const b = new Client(t.app);
    await b.login(email);
    return b;
  };
  before(async () => {
    t = await startTestApp();
    await buildCatalogue(t.db, t.clock, [{ code: 'LR1-S', course: 'LR1', weekday: 1, startsAt: '18:00', endsAt: '20:00', period: 'closed' }]);
    const accounts = `email,password_hash,last_name,first_name,city\nzoe@old.example,${bcrypt.hashSync('Zoe-2015', 4).replace('$2b$', '$2y$')},Zoé,Lambert,Paris\nyan@old.example,${bcrypt.hashSync('Yan-2015', 4)},Yan,Yan,\numa@old.example,${bcrypt.hashSync('Uma-2015', 4)},Uma,Uma,\n`;
    const enrolments = `email,course_code,school,period,started_on,ended_on,attendance_percent,attendance_certificate,outcome,certificate_on,certificate_number\nzoe@old.example,LR1,École Keller (11e),2015-2016,2015-09-21,2016-06-13,88,oui,réussi,2016-07-04,CMA-2016-7\n`;
    const report = await importLegacyFiles({ db: t.db, clock: t.clock }, [
      { name: 'a.csv', content: Buffer.from(accounts) },
      { name: 'e.csv', content: Buffer.from(enrolments) },
    ]);
    assert.ok(report.ok);
  });
  after(() => t.close());

  it('ACC-9 the account page and the history link to it; a visitor is sent to the login', async () => {
    const learner = await buildLearner(t.db, t.clock);
    const b = await as(learner.email);
    assert.match((await b.get('/compte')).body, /href="\/compte\/ancien-compte"/);
    assert.match((await b.get('/compte/historique')).body, /href="\/compte\/ancien-compte"/);
    const anonymous = await new Client(t.app).get('/compte/ancien-compte');
    assert.equal(anonymous.statusCode, 303);
  });

  it('ACC-9 bad input is told next to the field, what was typed kept, never a 500; a wrong password says the same as an unknown address', async () => {
    const learner = await buildLearner(t.db, t.clock);
    const b = await as(learner.email);
    const empty = await b.submit('/compte/ancien-compte', '/compte/ancien-compte', { email: 'pas-une-adresse', password: '' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /aria-describedby="email-error"/);
    assert.match(empty.body, /value="pas-une-adresse"/);
    const wrong = await b.submit('/compte/ancien-compte', '/compte/ancien-compte', { email: 'zoe@old.example', password: 'nope' });
    const unknown = await b.submit('/compte/ancien-compte', '/compte/ancien-compte', { email: 'who@old.example', password: 'nope' });
    assert.equal(wrong.statusCode, 400);
    assert.equal(unknown.statusCode, 400);
    const refusal = (html: string) => /id="password-error"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1];
    assert.ok(refusal(wrong.body)?.includes('Ancienne adresse ou ancien mot de passe incorrect'));
    assert.equal(refusal(wrong.body), refusal(unknown.body));
    assert.doesNotMatch(wrong.body, /value="nope"/, 'a password is never sent back');
    const nul = await b.submit('/compte/ancien-compte', '/compte/ancien-compte/code', { codeEmail: 'a\u0000@old.example' });
    assert.equal(nul.statusCode, 400);
  });

  it('ACC-9 linked with the old password: the page says it is done and shows the old record; the history shows the old course marked "ancien système"; a second try says it is done', async () => {
    const learner = await buildLearner(t.db, t.clock);
    const b = await as(learner.email);
    const done = await b.submit('/compte/ancien-compte', '/compte/ancien-compte', { email: 'zoe@old.example', password: 'Zoe-2015' });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/compte/ancien-compte?fait=1');
    const page = textOf((await b.get('/compte/ancien-compte?fait=1')).body);
    assert.match(page, /Votre ancien compte \(zoe@old\.example\) est rattaché à ce compte depuis le/);
    assert.match(page, /Les informations de votre ancien compte/);
    assert.match(page, /Zoé/);
    const history = textOf((await b.get('/compte/historique')).body);
    assert.match(history, /Dans l’ancien système/);
    assert.match(history, /Cours LR1 \(ancien système\)/);
    assert.match(history, /École Keller \(11e\)/);
    assert.match(history, /88 % des heures du cours/);
    assert.match(history, /N° CMA-2016-7, délivré le 4 juillet 2016/);
    // The form is gone; posting it again says it is done.
    const again = await b.post('/compte/ancien-compte', { _csrf: decode(/name="_csrf" value="([^"]+)"/.exec((await b.get('/compte')).body)![1]), email: 'zoe@old.example', password: 'Zoe-2015' });
    assert.equal(again.statusCode, 200);
    assert.match(textOf(again.body), /C’est déjà fait : votre ancien compte est rattaché à ce compte\./);
  });

  it('ACC-9 with a code: the page answers the same for any address, the code goes to the old address, typed on the page it links', async () => {
    const learner = await buildLearner(t.db, t.clock);
    const b = await as(learner.email);
    const unknown = await b.submit('/compte/ancien-compte', '/compte/ancien-compte/code', { codeEmail: 'who@old.example' });
    assert.equal(unknown.statusCode, 200);
    assert.match(textOf(unknown.body), /Si cette adresse est celle d’un ancien compte/);
    const sent = await b.submit('/compte/ancien-compte', '/compte/ancien-compte/code', { codeEmail: 'yan@old.example' });
    assert.equal(sent.statusCode, 200);
    assert.match(sent.body, /action="\/compte\/ancien-compte\/code\/valider"/);
    const code = /(\d{4} \d{4})/.exec((await emailsTo(t.db, 'yan@old.example'))[0].text)![1];
    const wrong = await b.submit('/compte/ancien-compte', '/compte/ancien-compte/code/valider', { code: code === '0000 0000' ? '1111 1111' : '0000 0000' });
    assert.equal(wrong.statusCode, 400);
    // A wrong code and no code at all (an unknown address asked) get the same answer: no "tries left".
    assert.match(textOf(wrong.body), /Ce code n’est pas valable : vérifiez-le, ou demandez-en un nouveau \(un code sert une fois, pendant 30 minutes, et 5 essais au plus\)\./);
    assert.doesNotMatch(textOf(wrong.body), /Essais restants/);
    const done = await b.submit('/compte/ancien-compte', '/compte/ancien-compte/code/valider', { code });
    assert.equal(done.statusCode, 303);
    assert.match(textOf((await b.get('/compte/ancien-compte')).body), /yan@old\.example/);
  });

  it('ACC-9 the code’s request answers with the same page for an unlinked old address and an unknown one (nothing tells them apart)', async () => {
    const learner = await buildLearner(t.db, t.clock);
    const b = await as(learner.email);
    const withoutToken = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');
    // The unknown address first: a live code of the known one must not be what shows the code's field.
    const unknown = await b.submit('/compte/ancien-compte', '/compte/ancien-compte/code', { codeEmail: 'nobody@old.example' });
    const known = await b.submit('/compte/ancien-compte', '/compte/ancien-compte/code', { codeEmail: 'uma@old.example' });
    assert.equal((await emailsTo(t.db, 'uma@old.example')).length, 1, 'the known address got its code');
    assert.equal(unknown.statusCode, known.statusCode);
    assert.match(known.body, /action="\/compte\/ancien-compte\/code\/valider"/);
    assert.equal(withoutToken(unknown.body), withoutToken(known.body));
  });

  it('ACC-9 the code’s request is rate-limited per account', async () => {
    const learner = await buildLearner(t.db, t.clock);
    const b = await as(learner.email);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await b.submit('/compte/ancien-compte', '/compte/ancien-compte/code', { codeEmail: `x${i}@old.example` })).statusCode);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
  });
});
