import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { desc, eq } from 'drizzle-orm';
import { buildStaff, emailsTo, GOOD_PASSWORD, validRecord } from '../../../test/app';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { queueEmail } from '../../platform/outbox';
import { auditLog, outbox, smsOutbox } from '../../platform/platform.table';
import { accountTokens, takeoverCodes, users } from './accounts.table';
import { activateAssistedAccount, createAssistedAccount, sendTakeoverCode, sendTakeoverEmail, takeOverAccount } from './assisted.service';
import { authenticate } from './credentials.service';
import { tellLearner } from './notify.service';
import { sha256 } from './links';

const NEW_PASSWORD = 'Soleil-Belleville-2026';

describe('SVC-5 assisted accounts and their takeover (accounts service)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
  let deps: { db: Database['db']; clock: FixedClock; baseUrl: string };
  let counsellorId: string;
  let mobileCounter = 10;

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    counsellorId = (await buildStaff(database.db, clock, 'counsellor')).userId;
  });
  after(() => database.close());

  const nextMobile = () => `+336123456${String(mobileCounter++).padStart(2, '0')}`;

  async function assisted(input: { email?: string | null; mobile?: string | null } = {}) {
    const mobile = input.mobile === undefined ? nextMobile() : input.mobile;
    return database.db.transaction((tx) =>
      createAssistedAccount(tx, clock, { email: input.email ?? null, mobile, locale: 'fr', record: { ...validRecord(), mobilePhone: mobile }, counsellorId }),
    );
  }

  async function codeSentTo(mobile: string): Promise<string> {
    const [sms] = await database.db.select().from(smsOutbox).where(eq(smsOutbox.to, mobile)).orderBy(desc(smsOutbox.id)).limit(1);
    const match = /(\d{4}) (\d{4})/.exec(sms?.body ?? '');
    assert.ok(match, `no code in the SMS to ${mobile}: ${sms?.body}`);
    return `${match[1]}${match[2]}`;
  }

  async function sendCode(userId: string) {
    return database.db.transaction((tx) => sendTakeoverCode(tx, deps, { userId, actorId: counsellorId }));
  }

  it('SVC-5 a mobile-only account: its identifier is the reserved .invalid address, pending, no password, told by SMS', async () => {
    const created = await assisted({ mobile: '+33612340001' });
    assert.ok(created.ok);
    assert.equal(created.user.email, '+33612340001@mobile.invalid');
    assert.equal(created.user.status, 'pending');
    assert.equal(created.user.notifyBy, 'sms');
    assert.deepEqual(await authenticate(deps, { email: '06 12 34 00 01', password: '!assisted' }), { ok: false, reason: 'invalid' }, 'no password signs in before the takeover');
    const [row] = await database.db.select().from(auditLog).where(eq(auditLog.subjectId, created.user.id));
    assert.equal(row.action, 'account.assisted_created');
    assert.equal(row.actorId, counsellorId);
    assert.deepEqual(row.data, { consent: 'in_person', mobileOnly: true });
    const told = await database.db.transaction((tx) => tellLearner(tx, created.user.id, { purpose: 'test', compose: () => ({ subject: 'Sujet', text: 'Texte' }) }));
    assert.deepEqual(told.channels, ['sms'], 'tellLearner never picks the reserved address');
  });

  it('SVC-5 decision 015: queueEmail drops an address in .invalid (nothing is written to the outbox)', async () => {
    const before = (await database.db.select().from(outbox)).length;
    await queueEmail(database.db, { to: '+33612340009@mobile.invalid', subject: 's', text: 't' });
    assert.equal((await database.db.select().from(outbox)).length, before);
    assert.equal((await emailsTo(database.db, '+33612340009@mobile.invalid')).length, 0);
  });

  it('SVC-5 the SMS code takes the account over: the password is set, the account active, the code used once; the mobile signs in', async () => {
    const mobile = '+33612340002';
    const created = await assisted({ mobile });
    assert.ok(created.ok);
    const sent = await sendCode(created.user.id);
    assert.deepEqual(sent, { ok: true, to: mobile });
    const code = await codeSentTo(mobile);
    assert.match(code, /^\d{8}$/);
    const [stored] = await database.db.select().from(takeoverCodes).where(eq(takeoverCodes.userId, created.user.id));
    assert.notEqual(stored.codeHash, code, 'only a hash is kept');
    assert.ok(!stored.codeHash.includes(code));
    assert.equal(stored.expiresAt.getTime() - stored.createdAt.getTime(), 30 * 60_000, 'valid 30 minutes');

    const taken = await takeOverAccount(deps, { identifier: '06 12 34 00 02', code: `${code.slice(0, 4)} ${code.slice(4)}`, password: NEW_PASSWORD });
    assert.ok(taken.ok);
    assert.equal(taken.user.status, 'active');
    const login = await authenticate(deps, { email: '06 12 34 00 02', password: NEW_PASSWORD });
    assert.ok(login.ok, 'SVC-5: the mobile number signs in a mobile-only account');
    const again = await takeOverAccount(deps, { identifier: mobile, code, password: 'Autre-Mot-De-Passe-2026' });
    assert.deepEqual(again, { ok: false, reason: 'invalid' }, 'a code works once');
    assert.ok((await authenticate(deps, { email: mobile, password: NEW_PASSWORD })).ok, 'the reused code changed nothing');
  });

  it('SVC-5 five wrong codes void the code: the right one then fails too; a new code works', async () => {
    const mobile = '+33612340003';
    const created = await assisted({ mobile });
    assert.ok(created.ok);
    await sendCode(created.user.id);
    const code = await codeSentTo(mobile);
    const wrong = code === '00000000' ? '11111111' : '00000000';
    for (let i = 0; i < 5; i++) assert.deepEqual(await takeOverAccount(deps, { identifier: mobile, code: wrong, password: NEW_PASSWORD }), { ok: false, reason: 'invalid' });
    assert.deepEqual(await takeOverAccount(deps, { identifier: mobile, code, password: NEW_PASSWORD }), { ok: false, reason: 'invalid' }, 'void after 5 wrong tries');
    await sendCode(created.user.id);
    const fresh = await codeSentTo(mobile);
    assert.ok((await takeOverAccount(deps, { identifier: mobile, code: fresh, password: NEW_PASSWORD })).ok);
  });

  it('SVC-5 a code expires after 30 minutes; a new code voids the one before', async () => {
    const mobile = '+33612340004';
    const created = await assisted({ mobile });
    assert.ok(created.ok);
    await sendCode(created.user.id);
    const first = await codeSentTo(mobile);
    clock.advance(30 * 60_000);
    assert.deepEqual(await takeOverAccount(deps, { identifier: mobile, code: first, password: NEW_PASSWORD }), { ok: false, reason: 'invalid' }, 'expired');
    await sendCode(created.user.id);
    const second = await codeSentTo(mobile);
    await sendCode(created.user.id);
    const third = await codeSentTo(mobile);
    if (second !== third) assert.deepEqual(await takeOverAccount(deps, { identifier: mobile, code: second, password: NEW_PASSWORD }), { ok: false, reason: 'invalid' }, 'replaced');
    assert.ok((await takeOverAccount(deps, { identifier: mobile, code: third, password: NEW_PASSWORD })).ok);
  });

  it('SVC-5 an unknown number, a code of the wrong shape: invalid, never an error', async () => {
    assert.deepEqual(await takeOverAccount(deps, { identifier: '+33699999999', code: '12345678', password: NEW_PASSWORD }), { ok: false, reason: 'invalid' });
    assert.deepEqual(await takeOverAccount(deps, { identifier: 'nobody@example.org', code: 'abc', password: NEW_PASSWORD }), { ok: false, reason: 'invalid' });
  });

  it('SVC-5 with an email: the activation link lets the learner choose their password (no sign-up password asked)', async () => {
    const created = await assisted({ email: 'Amina.Diallo@Example.org' });
    assert.ok(created.ok);
    assert.equal(created.user.email, 'amina.diallo@example.org');
    assert.equal(await database.db.transaction((tx) => sendTakeoverEmail(tx, deps, { userId: created.user.id, actorId: counsellorId })), true);
    const [mail] = await emailsTo(database.db, 'amina.diallo@example.org');
    const token = /\/activation\/([\w-]+)/.exec(mail.text)?.[1];
    assert.ok(token);
    const [link] = await database.db.select().from(accountTokens).where(eq(accountTokens.tokenHash, sha256(token)));
    assert.equal(link.purpose, 'activation');
    const taken = await activateAssistedAccount(deps, { token, password: NEW_PASSWORD });
    assert.ok(taken.ok);
    assert.ok((await authenticate(deps, { email: 'amina.diallo@example.org', password: NEW_PASSWORD })).ok);
    assert.deepEqual(await activateAssistedAccount(deps, { token, password: NEW_PASSWORD }), { ok: false, reason: 'invalid' }, 'the link works once');
    assert.equal(await database.db.transaction((tx) => sendTakeoverEmail(tx, deps, { userId: created.user.id, actorId: counsellorId })), false, 'no link once taken over');
  });

  it('SVC-5 ACC-5 refusals leave nothing: an address taken, a mobile identifier taken, a person already registered', async () => {
    const record = validRecord();
    const first = await database.db.transaction((tx) => createAssistedAccount(tx, clock, { email: 'taken@example.org', mobile: null, locale: 'en', record, counsellorId }));
    assert.ok(first.ok);
    assert.equal(first.user.locale, 'en', 'the language the counsellor chose');
    const sameAddress = await database.db.transaction((tx) => createAssistedAccount(tx, clock, { email: 'TAKEN@example.org', mobile: null, locale: 'fr', record: validRecord(), counsellorId }));
    assert.deepEqual(sameAddress, { ok: false, reason: 'email_taken' });
    const samePerson = await database.db.transaction((tx) => createAssistedAccount(tx, clock, { email: 'other@example.org', mobile: null, locale: 'fr', record, counsellorId }));
    assert.deepEqual(samePerson, { ok: false, reason: 'duplicate_person' });
    assert.equal((await database.db.select().from(users).where(eq(users.email, 'other@example.org'))).length, 0, 'the account made before the refusal is gone');
    const m = await assisted({ mobile: '+33612340005' });
    assert.ok(m.ok);
    assert.deepEqual(await assisted({ mobile: '+33612340005' }), { ok: false, reason: 'mobile_taken' });
    assert.deepEqual(await assisted({ mobile: null }), { ok: false, reason: 'no_identifier' });
  });

  it('SVC-5 no code for an account without a mobile, nor for a staff account', async () => {
    const created = await database.db.transaction((tx) => createAssistedAccount(tx, clock, { email: 'nomobile@example.org', mobile: null, locale: 'fr', record: { ...validRecord(), mobilePhone: null, landlinePhone: '+33144556677' }, counsellorId }));
    assert.ok(created.ok);
    assert.deepEqual(await sendCode(created.user.id), { ok: false, reason: 'no_mobile' });
    assert.deepEqual(await sendCode(counsellorId), { ok: false, reason: 'not_found' });
  });

  it('SVC-5 ACC-11 a closed (or disabled) account is not taken over with a code sent before: the same uniform failure', async () => {
    for (const [i, status] of (['closed', 'disabled'] as const).entries()) {
      const mobile = `+3361234002${i}`;
      const created = await assisted({ mobile });
      assert.ok(created.ok);
      await sendCode(created.user.id);
      const code = await codeSentTo(mobile);
      // The status alone (the closure also changes the identifier): the check does not lean on the address.
      await database.db.update(users).set({ status }).where(eq(users.id, created.user.id));
      assert.deepEqual(await takeOverAccount(deps, { identifier: mobile, code, password: NEW_PASSWORD }), { ok: false, reason: 'invalid' }, status);
      const [user] = await database.db.select().from(users).where(eq(users.id, created.user.id));
      assert.equal(user.status, status, 'nothing changed');
      assert.equal(user.passwordHash, '!assisted');
    }
  });

  it('ACC-1 the login still takes a plain address, and a learner with a real address is not signed in by their mobile', async () => {
    const created = await assisted({ email: 'withmobile@example.org', mobile: '+33612340006' });
    assert.ok(created.ok);
    await sendCode(created.user.id);
    const code = await codeSentTo('+33612340006');
    assert.ok((await takeOverAccount(deps, { identifier: 'withmobile@example.org', code, password: GOOD_PASSWORD })).ok, 'the address identifies it for the takeover');
    assert.ok((await authenticate(deps, { email: ' WithMobile@example.org ', password: GOOD_PASSWORD })).ok);
    assert.deepEqual(await authenticate(deps, { email: '06 12 34 00 06', password: GOOD_PASSWORD }), { ok: false, reason: 'invalid' }, 'a mobile is an identifier only for a mobile-only account');
  });
});
