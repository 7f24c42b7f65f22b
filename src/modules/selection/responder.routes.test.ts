import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, buildLearner, startTestApp, type TestApp } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import * as apps from '../applications/applications.service';

describe('SEL-13 the preference page (HTTP)', () => {
  let t: TestApp;
  const page = '/candidatures/preferences';
  const mine: string[] = [];
  let another: string;
  let browser: Client;

  before(async () => {
    t = await startTestApp({ now: new Date('2026-11-23T10:00:00Z') });
    await buildCatalogue(t.db, t.clock, [
      { code: 'PRA', weekday: 1, startsAt: '09:00', endsAt: '11:00' },
      { code: 'PRB', weekday: 2, startsAt: '09:00', endsAt: '11:00' },
    ]);
    const deps = { db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000' };
    const confirmed = async (learnerId: string, code: string) => {
      const pre = await apps.preselectSession(deps, { learnerId, sessionCode: code });
      assert.ok(pre.ok);
      await apps.saveAnswers(deps, { learnerId, applicationId: pre.applicationId, answers: { situation: 'employed', objective: 'personal', motivations: 'Oui.' } });
      assert.ok((await apps.confirmApplication(deps, { learnerId, applicationId: pre.applicationId })).ok);
      return pre.applicationId;
    };
    const learner = await buildLearner(t.db, t.clock);
    mine.push(await confirmed(learner.id, 'PRA'), await confirmed(learner.id, 'PRB'));
    another = await confirmed((await buildLearner(t.db, t.clock)).id, 'PRA');
    browser = new Client(t.app);
    await browser.login(learner.email);
  });
  after(() => t.close());

  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1].replace(/&amp;/g, '&');
  const versionOf = (html: string) => /name="version" value="(\d+)"/.exec(html)![1];

  it('SEL-13 the learner orders two applications, turns the responder on, and moves one up without JavaScript', async () => {
    const form = await browser.get(page);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Ce que fait le répondeur automatique/);
    const saved = await browser.submit(page, page, { version: versionOf(form.body), [`rang-${mine[0]}`]: '2', [`rang-${mine[1]}`]: '1', repondeur: 'on' });
    assert.equal(saved.statusCode, 303);
    const after = (await browser.get(saved.headers.location as string)).body;
    assert.match(after, /Le répondeur automatique est activé/);
    assert.ok(after.indexOf(`preference-${mine[1]}`) < after.indexOf(`preference-${mine[0]}`), 'PRB first');
    const moved = await browser.submit(page, `${page}/deplacer`, { version: versionOf(after), deplacer: `${mine[0]}:up` });
    assert.equal(moved.statusCode, 303);
    const now = (await browser.get(page)).body;
    assert.ok(now.indexOf(`preference-${mine[0]}`) < now.indexOf(`preference-${mine[1]}`), 'PRA moved up');
    assert.match((await browser.get('/candidatures')).body, /Votre choix n° 1 sur 2/);
  });

  it('SEL-13 two windows: the second save is refused with the list as saved; nothing of the first is lost', async () => {
    const html = (await browser.get(page)).body;
    const version = versionOf(html);
    const first = await browser.post(page, { _csrf: csrfOf(html), version, [`rang-${mine[0]}`]: '1', [`rang-${mine[1]}`]: '' });
    assert.equal(first.statusCode, 303);
    const second = await browser.post(page, { _csrf: csrfOf(html), version, [`rang-${mine[0]}`]: '1', [`rang-${mine[1]}`]: '2', repondeur: 'on' });
    assert.equal(second.statusCode, 409);
    assert.match(second.body, /Votre liste a été modifiée dans une autre fenêtre/);
  });

  it('SEL-13 bad input is a 400 with its message, never a 500: another’s application, two at one rank, odd ranks, NUL bytes, odd versions', async () => {
    const html = (await browser.get(page)).body;
    const base = { _csrf: csrfOf(html), version: versionOf(html) };
    const cases: [Record<string, string>, RegExp][] = [
      [{ [`rang-${another}`]: '1' }, /pas l’une des vôtres/],
      [{ [`rang-${mine[0]}`]: '1', [`rang-${mine[1]}`]: '1' }, /Deux candidatures ont le même rang/],
      [{ [`rang-${mine[0]}`]: '99999999999999999999' }, /Choisissez un rang/],
      [{ [`rang-${mine[0]}`]: '1\u0000' }, /Choisissez un rang/],
      [{ 'rang-pas-un-id': '1' }, /pas l’une des vôtres/],
      [{ version: '1e400' }, /./],
      [{ version: '-1' }, /./],
    ];
    for (const [fields, message] of cases) {
      const response = await browser.post(page, { ...base, ...fields });
      assert.equal(response.statusCode, 400, JSON.stringify(fields));
      assert.match(response.body, message);
    }
    const move = await browser.post(`${page}/deplacer`, { ...base, deplacer: `${another}:up` });
    assert.equal(move.statusCode, 400);
    assert.equal((await browser.post(`${page}/deplacer`, { ...base, deplacer: '../../etc' })).statusCode, 400);
  });
});
