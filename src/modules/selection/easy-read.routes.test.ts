import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { Client, buildStaff, emailsTo, startTestApp, type TestApp } from '../../../test/app';
import { closeOpenPeriod, confirmedApplicants } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { deliverOutbox, mailMessage, type MailTransport } from '../../platform/outbox';
import { applications } from '../applications/applications.table';
import { courses } from '../catalogue/catalogue.table';
import { assignScope } from '../scopes';
import * as actions from './applicants.service';
import { FALC_LARGE_PT } from './falc.rules';
import { convocations } from './selection.table';

const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '').replace(/\r\n/g, '\n');
/** One property of a calendar file, read back (its parameters skipped). */
const property = (ics: string, name: string) => new RegExp(`^${name}(?:;[^:\\n]*)?:(.*)$`, 'm').exec(unfold(ics))?.[1];

/**
 * The words of a PDF with their height in points (pdftotext -bbox), run without blocking the
 * event loop (the app under test shares it: a long block reads as pressure, a 503).
 */
async function pdfWords(pdf: Buffer): Promise<{ word: string; height: number }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cursus-falc-'));
  try {
    writeFileSync(join(dir, 'doc.pdf'), pdf);
    const { stdout: html } = await promisify(execFile)('pdftotext', ['-bbox', join(dir, 'doc.pdf'), '-'], { encoding: 'utf8' });
    return [...html.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({ word: m[3], height: Number(m[2]) - Number(m[1]) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * SVC-7: every convocation comes with a calendar file and an easy-read version: the email carries
 * the `.ics` and the FALC text; the public page `/convocation/<token>/facile` (and its PDF and
 * calendar file) shows it in large type to whoever has the link; a token of another shape or
 * unknown is the 404 page.
 */
describe('SVC-7 convocations: the calendar file and the easy-read version', () => {
  let t: TestApp;
  let convoked: Awaited<ReturnType<typeof confirmedApplicants>>;
  let token: string;
  const deps = () => ({ db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000', secret: 'x'.repeat(32) });

  before(async () => {
    t = await startTestApp({ now: new Date('2026-11-23T10:00:00Z') });
    const base = { db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(t.db, t.clock, [{ code: 'FA-A1', course: 'FLE-A1', weekday: 1, startsAt: '09:00', endsAt: '11:00' }]);
    await t.db.update(courses).set({ admissionTest: 'anticipated_test' }).where(eq(courses.code, 'FLE-A1'));
    convoked = await confirmedApplicants(base, 'FA-A1', 2);
    await closeOpenPeriod(t.db, t.clock);
    const coordinator = await buildStaff(t.db, t.clock, 'coordinator');
    await assignScope(t.db, { userId: coordinator.userId, schools: ['E-11-T'] });
    const done = await actions.convokeSession(deps(), { staff: { id: coordinator.userId, role: 'coordinator' }, sessionCode: 'FA-A1', kind: 'interview', day: '2027-01-12', time: '09:30', place: 'Salle 12, 1 rue Test', minutes: 45 });
    assert.deepEqual(done, { ok: true, convoked: 2 });
    [{ token }] = await t.db.select().from(convocations).where(eq(convocations.applicationId, convoked[0].applicationId));
  });
  after(() => t.close());

  it('SVC-7 SEL-3 the convocation email carries its calendar file (start, length, place, school, stable UID), parsed back, and ends with the easy-read text', async () => {
    const [mail] = await emailsTo(t.db, convoked[0].email);
    assert.match(mail.subject, /Convocation/);
    assert.equal(mail.attachments?.length, 1);
    const [file] = mail.attachments!;
    assert.equal(file.filename, 'convocation.ics');
    assert.match(file.contentType, /^text\/calendar/);
    assert.equal(property(file.content, 'DTSTART'), '20270112T083000Z', '9:30 in Paris in winter');
    assert.equal(property(file.content, 'DURATION'), 'PT45M');
    assert.equal(property(file.content, 'UID'), `convocation-${convoked[0].applicationId}@localhost:3000`);
    assert.equal(property(file.content, 'SEQUENCE'), '0');
    assert.match(property(file.content, 'LOCATION')!, /^Salle 12\\, 1 rue Test \(École test\)$/);
    assert.match(property(file.content, 'SUMMARY')!, /^Entretien — /);
    assert.equal(property(file.content, 'URL'), `http://localhost:3000/convocation/${token}/facile`);
    assert.equal(property(file.content, 'STATUS'), 'CONFIRMED');
    // The easy-read version after the usual text: one thing a line, and the link to the large print.
    assert.match(mail.text, /Votre convocation à imprimer : http:\/\/localhost:3000\/candidatures\n\n— Version facile à lire —/);
    assert.match(mail.text, /^Date : mardi 12 janvier 2027 à 9 h 30$/m);
    assert.match(mail.text, /^Le rendez-vous dure environ 45 minutes\.$/m);
    assert.match(mail.text, /^Adresse : Salle 12, 1 rue Test$/m);
    assert.match(mail.text, new RegExp(`En grands caractères : http://localhost:3000/convocation/${token}/facile`));
    const other = (await emailsTo(t.db, convoked[1].email))[0].attachments![0];
    assert.notEqual(property(other.content, 'UID'), property(file.content, 'UID'), 'one UID per convocation');
  });

  it('SVC-7 the outbox hands the calendar file to the transport, and nodemailer sends it as a text/calendar part', async () => {
    const sent: Parameters<MailTransport['send']>[0][] = [];
    await deliverOutbox({ db: t.db, transport: { name: 'mailbox', send: async (email) => void sent.push(email), close: () => {} }, from: 'noreply@example.org' });
    const mine = sent.find((m) => m.to === convoked[0].email && /Convocation/.test(m.subject));
    assert.equal(mine?.attachments?.[0].filename, 'convocation.ics');
    const mime = await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail(mailMessage(mine!));
    const raw = (mime.message as Buffer).toString();
    assert.match(raw, /Content-Type: text\/calendar; charset=utf-8; method=PUBLISH;\s+name=convocation\.ics/);
    assert.match(raw, /Content-Disposition: attachment; filename=convocation\.ics/);
  });

  it('SVC-7 a learner convoked again: the same UID (the event is replaced), SEQUENCE one more, the same easy-read link', async () => {
    const coordinator = await buildStaff(t.db, t.clock, 'coordinator');
    await assignScope(t.db, { userId: coordinator.userId, schools: ['E-11-T'] });
    // Back to "confirmed" (as a staff correction would leave it), then convoked to another day.
    await t.db.update(applications).set({ status: 'confirmed' }).where(eq(applications.id, convoked[0].applicationId));
    const again = await actions.convokeSession(deps(), { staff: { id: coordinator.userId, role: 'coordinator' }, sessionCode: 'FA-A1', kind: 'interview', day: '2027-01-19', time: '14:00', place: 'Salle 3' });
    assert.deepEqual(again, { ok: true, convoked: 1 });
    const [first, second] = (await emailsTo(t.db, convoked[0].email)).filter((m) => m.attachments).reverse();
    const [a, b] = [first.attachments![0].content, second.attachments![0].content];
    assert.equal(property(b, 'UID'), property(a, 'UID'));
    assert.equal(property(b, 'SEQUENCE'), '1');
    assert.equal(property(b, 'DTSTART'), '20270119T130000Z');
    assert.equal(property(b, 'DURATION'), 'PT30M', 'no length given: an interview’s 30 minutes');
    const [row] = await t.db.select().from(convocations).where(eq(convocations.applicationId, convoked[0].applicationId));
    assert.equal(row.token, token, 'the easy-read page keeps its link');
    assert.equal(row.sequence, 1);
  });

  it('SVC-7 the easy-read page: public by its link, the date, the place and what to bring each on a large line; linked from the learner’s page and the PDF', async () => {
    const page = await new Client(t.app).get(`/convocation/${token}/facile`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Votre rendez-vous pour un entretien<\/h1>/);
    assert.match(page.body, /<div class="falc-line falc-large"><span class="falc-label">Date :<\/span><span>mardi 19 janvier 2027 à 14 h<\/span><\/div>/);
    assert.match(page.body, /<div class="falc-line falc-large"><span class="falc-label">Adresse :<\/span><span>Salle 3<\/span><\/div>/);
    assert.match(page.body, /<div class="falc-line falc-large"><span class="falc-label">Apportez :<\/span><ul><li>un papier officiel avec votre photo<\/li>/);
    assert.match(page.body, new RegExp(`href="/convocation/${token}/agenda.ics"`));
    assert.match(page.body, new RegExp(`href="/convocation/${token}/facile.pdf"`));
    assert.doesNotMatch(page.body, /convocation nominative|désistement/, 'easy words');
    assert.match(page.headers['cache-control'] as string, /no-store/);
    // In English for a reader who chose English.
    const english = await t.app.inject({ url: `/convocation/${token}/facile`, cookies: { cursus_lang: 'en' } });
    assert.match(english.body, /<h1>Your appointment for an interview<\/h1>/);
    assert.match(english.body, /Tuesday 19 January 2027 at 2 pm/);

    const learner = new Client(t.app);
    await learner.login(convoked[0].email);
    assert.match((await learner.get('/candidatures')).body, new RegExp(`<a href="/convocation/${token}/facile">Version facile à lire</a>`));
    const pdf = await learner.get(`/candidatures/${convoked[0].applicationId}/convocation.pdf`);
    // The link may wrap: the words joined.
    const words = (await pdfWords(pdf.rawPayload)).map((w) => w.word).join('');
    assert.ok(words.includes(`facileàlire:http://localhost:3000/convocation/${token}/facile`), `the PDF prints the easy-read link: ${words}`);
  });

  it('SVC-7 the easy-read PDF prints the date, the place and what to bring in large type (≥ 16 points)', async () => {
    const pdf = await new Client(t.app).get(`/convocation/${token}/facile.pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const words = await pdfWords(pdf.rawPayload);
    const height = (word: string) => words.find((w) => w.word === word)?.height ?? 0;
    // A word's box is about the font's size (DejaVu: ascent + descent ≈ 1.16 em).
    for (const word of ['janvier', 'Salle', 'papier']) assert.ok(height(word) >= 16, `${word}: ${height(word)}`);
    assert.ok(height('dure') >= 14 && height('dure') < height('janvier'), 'the other lines smaller, 14 points at least');
    assert.ok(FALC_LARGE_PT >= 16);
  });

  it('SVC-7 the calendar file from the page: the same event as the email’s last one', async () => {
    const ics = await new Client(t.app).get(`/convocation/${token}/agenda.ics`);
    assert.equal(ics.statusCode, 200);
    assert.match(ics.headers['content-type'] as string, /^text\/calendar/);
    assert.equal(property(ics.body, 'UID'), `convocation-${convoked[0].applicationId}@localhost:3000`);
    assert.equal(property(ics.body, 'SEQUENCE'), '1');
  });

  it('SVC-7 a bad or unknown token is the 404 page, never a 500; a convocation withdrawn reads cancelled', async () => {
    for (const bad of ['x', 'A'.repeat(24), 'A'.repeat(100), '%00abcdefghijklmnopqrstu', 'abc%2F..%2F..%2Fetc', `${token}%00`]) {
      for (const suffix of ['facile', 'facile.pdf', 'agenda.ics']) {
        const response = await t.app.inject({ url: `/convocation/${bad}/${suffix}` });
        assert.equal(response.statusCode, 404, `${bad}/${suffix}`);
        assert.match(response.body, /Page introuvable/);
      }
    }
    await t.db.update(applications).set({ status: 'withdrawn' }).where(eq(applications.id, convoked[1].applicationId));
    const [{ token: gone }] = await t.db.select().from(convocations).where(eq(convocations.applicationId, convoked[1].applicationId));
    const page = await new Client(t.app).get(`/convocation/${gone}/facile`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Ce rendez-vous est annulé\./);
    assert.doesNotMatch(page.body, /agenda\.ics/, 'nothing to add to a calendar');
    assert.equal(property((await new Client(t.app).get(`/convocation/${gone}/agenda.ics`)).body, 'STATUS'), 'CANCELLED');
  });
});
