import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, count, eq } from 'drizzle-orm';
import { generate } from 'otplib';
import { GOOD_PASSWORD, buildLearner, buildStaff, emailsTo, linkIn, uniqueEmail, validRecord } from '../../../test/app';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FixedClock, HOUR, MINUTE } from '../../platform/clock';
import { auditLog } from '../../platform/platform.table';
import { getPolicies, setPolicy } from '../../platform/policies';
import { activateAccount, authenticate, changePassword, requestPasswordReset, resendActivation, resetPassword, resetTokenUsable, signUp as signUpAccount, verifySecondFactor } from './credentials.service';
import { createSession, resumeSession } from './sessions.service';
import { createLearnerRecord, getLearnerProfile, pendingNameChange, requestNameChange, updateContactDetails } from './record.service';
import { confirmEmailChange, requestEmailChange } from './email-change.service';
import { findUserByEmail, type AccountDeps } from './users.service';
import { learnerProfiles, userSessions, users } from './accounts.table';
import { deviceTag } from './accounts.rules';
import { acceptedCurrentTerms, receivesNews } from './consents.service';

describe('accounts service', () => {
  let database: Database;
  let clock: FixedClock;
  let deps: AccountDeps;
  before(async () => {
    database = await createTestDatabase();
    clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
  });
  after(() => database.close());

  const signUp = (email: string) =>
    signUpAccount(deps, { email, password: GOOD_PASSWORD, mobilePhone: null, newsOptIn: false, locale: 'fr' });
  const tokenOf = (path: string) => path.split('/').pop()!;

  it('ACC-1 ACC-3 sign-up makes a pending account and emails a single-use activation link', async () => {
    const email = uniqueEmail();
    await signUp(email.toUpperCase());
    const user = await findUserByEmail(database.db, email);
    assert.equal(user?.status, 'pending');
    assert.equal(await receivesNews(database.db, user!.id), false);
    assert.ok(await acceptedCurrentTerms(database.db, user!.id));
    assert.notEqual(user?.passwordHash, GOOD_PASSWORD);
    assert.match(user!.passwordHash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const [mail] = await emailsTo(database.db, email);
    assert.match(mail.subject, /Activez votre compte/);
    const link = linkIn(mail.text, '/activation/');
    assert.equal((await activateAccount(deps, { token: tokenOf(link), password: GOOD_PASSWORD })).outcome, 'activated');
    assert.equal((await findUserByEmail(database.db, email))?.status, 'active');
    assert.equal((await activateAccount(deps, { token: tokenOf(link), password: GOOD_PASSWORD })).outcome, 'invalid', 'single use');
  });

  it('ACC-3 an activation link expires, and asking again sends a new one that replaces it', async () => {
    const email = uniqueEmail();
    await signUp(email);
    const first = linkIn((await emailsTo(database.db, email))[0].text, '/activation/');
    await resendActivation(deps, email);
    const second = linkIn((await emailsTo(database.db, email))[0].text, '/activation/');
    assert.notEqual(first, second);
    assert.equal((await activateAccount(deps, { token: tokenOf(first), password: GOOD_PASSWORD })).outcome, 'invalid', 'the older link no longer works');
    const policies = await getPolicies(database.db);
    clock.advance(policies.activationLinkHours * HOUR + 1);
    assert.equal((await activateAccount(deps, { token: tokenOf(second), password: GOOD_PASSWORD })).outcome, 'invalid', 'expired');
    clock.advance(-(policies.activationLinkHours * HOUR + 1));
  });

  it('ACC-3 signing up with a registered address changes nothing and tells the owner by email', async () => {
    const user = await buildLearner(database.db, clock);
    const before = await findUserByEmail(database.db, user.email);
    await signUp(user.email);
    const after = await findUserByEmail(database.db, user.email);
    assert.equal(after?.passwordHash, before?.passwordHash);
    const [mail] = await emailsTo(database.db, user.email);
    assert.match(mail.subject, /Tentative de création de compte/);
    await resendActivation(deps, user.email);
    assert.equal((await emailsTo(database.db, user.email)).length, 1, 'no activation email for an active account');
    await resendActivation(deps, uniqueEmail());
  });

  it('ACC-3 a second sign-up for an address still pending replaces the first: its password wins, the first link activates nothing', async () => {
    const email = uniqueEmail('prehijack');
    // Someone who does not own the mailbox signs up first, with a password of their own…
    await signUpAccount(deps, { email, password: 'Pirate-mot-2026', mobilePhone: '+33600000000', newsOptIn: true, locale: 'en' });
    const attackersLink = tokenOf(linkIn((await emailsTo(database.db, email))[0].text, '/activation/'));
    // … then the owner signs up, and clicks the link they get.
    await signUpAccount(deps, { email, password: GOOD_PASSWORD, mobilePhone: null, newsOptIn: false, locale: 'fr' });
    const [mail] = await emailsTo(database.db, email);
    assert.match(mail.subject, /Activez votre compte/, 'in the language of the latest sign-up');
    assert.equal((await activateAccount(deps, { token: attackersLink, password: GOOD_PASSWORD })).outcome, 'invalid', 'the first link activates nothing');
    assert.equal((await activateAccount(deps, { token: tokenOf(linkIn(mail.text, '/activation/')), password: GOOD_PASSWORD })).outcome, 'activated');
    assert.deepEqual(await authenticate(deps, { email, password: 'Pirate-mot-2026' }), { ok: false, reason: 'invalid' }, 'the first password is gone');
    assert.equal((await authenticate(deps, { email, password: GOOD_PASSWORD })).ok, true, 'the latest sign-up’s password wins');
    const user = await findUserByEmail(database.db, email);
    assert.equal(user?.mobilePhone, null);
    assert.equal(await receivesNews(database.db, user!.id), false, 'the first sign-up’s consents are gone');
    assert.equal(user?.locale, 'fr');
  });

  it('ACC-3 whoever signs up after the owner cannot have the owner activate their password: the link asks for the password chosen', async () => {
    const email = uniqueEmail('prehijack-late');
    // The owner signs up first; someone else signs up again with the owner's address…
    await signUpAccount(deps, { email, password: GOOD_PASSWORD, mobilePhone: null, newsOptIn: false, locale: 'fr' });
    await signUpAccount(deps, { email, password: 'Pirate-mot-2026', mobilePhone: '+33600000000', newsOptIn: true, locale: 'fr' });
    // … the owner clicks the newest link in their mailbox and types their own password.
    const [mail] = await emailsTo(database.db, email);
    const token = tokenOf(linkIn(mail.text, '/activation/'));
    assert.equal((await activateAccount(deps, { token, password: GOOD_PASSWORD })).outcome, 'wrong_password', 'not the password of the latest sign-up');
    assert.equal((await findUserByEmail(database.db, email))?.status, 'pending', 'nothing is activated');
    assert.deepEqual(await authenticate(deps, { email, password: 'Pirate-mot-2026' }), { ok: false, reason: 'not_activated' }, 'the other password opens nothing');
    // The owner signs up again: their password wins, their link and password activate.
    await signUpAccount(deps, { email, password: GOOD_PASSWORD, mobilePhone: null, newsOptIn: false, locale: 'fr' });
    const [again] = await emailsTo(database.db, email);
    assert.equal((await activateAccount(deps, { token: tokenOf(linkIn(again.text, '/activation/')), password: GOOD_PASSWORD })).outcome, 'activated');
  });

  it('ACC-3 twenty simultaneous sign-ups with one address make one account', async () => {
    const email = uniqueEmail();
    await Promise.all(Array.from({ length: 20 }, () => signUp(email)));
    const [row] = await database.db.select({ n: count() }).from(users).where(eq(users.email, email));
    assert.equal(row.n, 1);
  });

  it('ACC-5 two simultaneous records for the same person make one, whatever the spelling', async () => {
    const a = await buildLearner(database.db, clock, { record: null });
    const b = await buildLearner(database.db, clock, { record: null });
    const record = { ...validRecord(), lastName: 'Le Goff', firstName: 'Zoé', birthDate: '1979-11-30' };
    const outcomes = await Promise.all([
      createLearnerRecord({ db: database.db, clock }, { userId: a.id, record }),
      createLearnerRecord({ db: database.db, clock }, { userId: b.id, record: { ...record, lastName: 'LE-GOFF', firstName: 'zoe' } }),
    ]);
    assert.deepEqual(outcomes.sort(), ['created', 'duplicate_person']);
    const rows = await database.db.select().from(learnerProfiles).where(eq(learnerProfiles.identityKey, 'legoff|zoe|1979-11-30'));
    assert.equal(rows.length, 1);
  });

  it('ACC-1 login throttling: past the policy, even the right password waits, for that address', async () => {
    await setPolicy(database.db, 'maxFailedLoginsPerHour', 5);
    const user = await buildLearner(database.db, clock);
    for (let i = 0; i < 5; i++) assert.deepEqual(await authenticate(deps, { email: user.email, password: 'Wrong-pass1' }), { ok: false, reason: 'invalid' });
    assert.deepEqual(await authenticate(deps, { email: user.email, password: GOOD_PASSWORD }), { ok: false, reason: 'throttled', retryAfterSeconds: 1 });
    // An unknown address is throttled the same way, so throttling reveals nothing either.
    const ghost = uniqueEmail();
    for (let i = 0; i < 5; i++) await authenticate(deps, { email: ghost, password: 'Wrong-pass1' });
    assert.deepEqual(await authenticate(deps, { email: ghost, password: 'Wrong-pass1' }), { ok: false, reason: 'throttled', retryAfterSeconds: 1 });
    await setPolicy(database.db, 'maxFailedLoginsPerHour', 100);
    clock.advance(HOUR);
  });

  it('ACC-1 failed logins slow down the source that makes them, not the owner elsewhere; the wait grows, ends, and a reset lifts it', async () => {
    const user = await buildLearner(database.db, clock);
    const attacker = '203.0.113.9';
    // 100 failures in an hour from one address used to refuse the right password to everyone for the hour.
    for (let i = 0; i < 100; i++) await authenticate(deps, { email: user.email, password: 'Wrong-pass1' }, attacker);
    assert.equal((await authenticate(deps, { email: user.email, password: GOOD_PASSWORD }, '198.51.100.7')).ok, true, 'the owner, elsewhere, is let in');
    assert.deepEqual(await authenticate(deps, { email: user.email, password: GOOD_PASSWORD }, attacker), { ok: false, reason: 'throttled', retryAfterSeconds: 1 });
    clock.advance(1_000);
    assert.deepEqual(await authenticate(deps, { email: user.email, password: 'Wrong-pass1' }, attacker), { ok: false, reason: 'invalid' }, 'after the wait, one more try');
    assert.deepEqual(await authenticate(deps, { email: user.email, password: 'Wrong-pass1' }, attacker), { ok: false, reason: 'throttled', retryAfterSeconds: 2 }, 'the wait doubles');
    clock.advance(2_000);
    assert.equal((await authenticate(deps, { email: user.email, password: GOOD_PASSWORD }, attacker)).ok, true, 'slowed down, never refused outright');
    // Behind the same address as the attacker (a school's network), a reset lets the owner in at once.
    for (let i = 0; i < 6; i++) await authenticate(deps, { email: user.email, password: 'Wrong-pass1' }, attacker);
    assert.equal((await authenticate(deps, { email: user.email, password: GOOD_PASSWORD }, attacker)).ok, false);
    await requestPasswordReset(deps, user.email);
    const link = linkIn((await emailsTo(database.db, user.email))[0].text, '/mot-de-passe/');
    assert.equal(await resetPassword(deps, { token: tokenOf(link), password: 'Nouveau-mot-2026' }), 'changed');
    assert.equal((await authenticate(deps, { email: user.email, password: 'Nouveau-mot-2026' }, attacker)).ok, true, 'a reset clears the count');
    clock.advance(HOUR);
  });

  it('ACC-1 ACC-12 failures from many sources slow every source down, a minute at most; the second factor counts too', async () => {
    await setPolicy(database.db, 'maxFailedLoginsPerHour', 5);
    const staff = await buildStaff(database.db, clock, 'coordinator');
    for (let i = 0; i < 5; i++) await authenticate(deps, { email: staff.email, password: 'Wrong-pass1' }, `203.0.113.${i}`);
    assert.deepEqual(await authenticate(deps, { email: staff.email, password: GOOD_PASSWORD }, '198.51.100.7'), { ok: false, reason: 'throttled', retryAfterSeconds: 1 });
    for (let i = 0; i < 12; i++) {
      clock.advance(MINUTE);
      await authenticate(deps, { email: staff.email, password: 'Wrong-pass1' }, `203.0.113.${i}`);
    }
    assert.deepEqual(await authenticate(deps, { email: staff.email, password: GOOD_PASSWORD }, '198.51.100.7'), { ok: false, reason: 'throttled', retryAfterSeconds: 60 });
    clock.advance(MINUTE);
    const auth = await authenticate(deps, { email: staff.email, password: GOOD_PASSWORD, browser: 'csrf-secret' }, '198.51.100.7');
    assert.ok(auth.ok && auth.needsSecondFactor);
    const code = await generate({ secret: staff.totpSecret, epoch: Math.floor(clock.now().getTime() / 1000) });
    const wrong = code === '000000' ? '111111' : '000000';
    assert.deepEqual(await verifySecondFactor(deps, { pendingLogin: auth.pendingLogin, browser: 'csrf-secret', code: wrong }, '198.51.100.7'), { ok: false, reason: 'invalid' });
    assert.deepEqual(await verifySecondFactor(deps, { pendingLogin: auth.pendingLogin, browser: 'csrf-secret', code }, '198.51.100.7'), { ok: false, reason: 'throttled', retryAfterSeconds: 60 });
    await setPolicy(database.db, 'maxFailedLoginsPerHour', 100);
    clock.advance(HOUR);
  });

  it('ACC-1 a guess flood from many sources, kept up for ever, never keeps the owner out of a browser they logged in from', async () => {
    await setPolicy(database.db, 'maxFailedLoginsPerHour', 5);
    try {
      const staff = await buildStaff(database.db, clock, 'coordinator');
      const owner = { email: staff.email, password: GOOD_PASSWORD, browser: 'csrf-secret' };
      // 20 sources, each a few wrong passwords, then one more whenever the account's wait ends.
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 20; i++) await authenticate(deps, { email: staff.email, password: 'Wrong-pass1' }, `203.0.113.${i}`);
        clock.advance(MINUTE);
      }
      for (let i = 0; i < 20; i++) await authenticate(deps, { email: staff.email, password: 'Wrong-pass1' }, `203.0.113.${100 + i}`);
      const stranger = await authenticate(deps, owner, '198.51.100.7');
      assert.equal(!stranger.ok && stranger.reason, 'throttled', 'a browser never seen before waits');
      const known = await authenticate(deps, { ...owner, knownDevice: true }, '198.51.100.7');
      assert.ok(known.ok && known.needsSecondFactor, 'the owner’s own browser goes on to the second factor');
      const code = await generate({ secret: staff.totpSecret, epoch: Math.floor(clock.now().getTime() / 1000) });
      const done = await verifySecondFactor(deps, { pendingLogin: known.pendingLogin, browser: 'csrf-secret', code, deviceTag: deviceTag(staff.email) }, '198.51.100.7');
      assert.ok(done.ok, 'and logs in');
    } finally {
      await setPolicy(database.db, 'maxFailedLoginsPerHour', 100);
      clock.advance(HOUR);
    }
  });

  it('ACC-1 ACC-4 a wrong current password when changing it counts as a failed login; past the policy the change is refused too', async () => {
    await setPolicy(database.db, 'maxFailedLoginsPerHour', 3);
    try {
      const user = await buildLearner(database.db, clock);
      const sessionId = '00000000-0000-4000-8000-000000000000'; // never reached: no change happens here
      const change = (currentPassword: string) => changePassword(deps, { userId: user.id, sessionId, currentPassword, newPassword: 'Nouveau-mot-2026' }, '192.0.2.7');
      for (let i = 0; i < 3; i++) assert.deepEqual(await change('Wrong-pass1'), { ok: false, reason: 'wrong_password' });
      // Past the policy every source waits (a slow-down, never a lock-out: decision 009).
      const login = await authenticate(deps, { email: user.email, password: GOOD_PASSWORD });
      assert.equal(!login.ok && login.reason, 'throttled');
      const refused = await change(GOOD_PASSWORD);
      assert.equal(!refused.ok && refused.reason, 'throttled');
      const failed = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'login.failed'), eq(auditLog.subjectId, user.id)));
      assert.deepEqual(failed.map((row) => row.ip), ['192.0.2.7', '192.0.2.7', '192.0.2.7']);
    } finally {
      await setPolicy(database.db, 'maxFailedLoginsPerHour', 100);
    }
  });

  it('ACC-3 "not activated" is said only to someone with the right password', async () => {
    const user = await buildLearner(database.db, clock, { status: 'pending', record: null });
    assert.deepEqual(await authenticate(deps, { email: user.email, password: 'Wrong-pass1' }), { ok: false, reason: 'invalid' });
    assert.deepEqual(await authenticate(deps, { email: user.email, password: GOOD_PASSWORD }), { ok: false, reason: 'not_activated' });
    assert.deepEqual(await authenticate(deps, { email: uniqueEmail(), password: GOOD_PASSWORD }), { ok: false, reason: 'invalid' });
  });

  it('sessions end after 30 minutes idle and after 12 hours whatever happens', async () => {
    const user = await buildLearner(database.db, clock);
    const policies = await getPolicies(database.db);
    const token = await createSession(deps, { userId: user.id, ip: null, userAgent: null });
    clock.advance(29 * MINUTE);
    assert.ok(await resumeSession(deps, token, policies));
    clock.advance(30 * MINUTE);
    assert.equal(await resumeSession(deps, token, policies), null, 'idle for 30 minutes');
    const busy = await createSession(deps, { userId: user.id, ip: null, userAgent: null });
    for (let i = 0; i < 24; i++) {
      clock.advance(29 * MINUTE);
      assert.ok(await resumeSession(deps, busy, policies), `still active after ${(i + 1) * 29} minutes`);
    }
    clock.advance(29 * MINUTE);
    assert.equal(await resumeSession(deps, busy, policies), null, '12 hours at most');
  });

  it('ACC-4 a reset link changes the password once, ends every session, and expires', async () => {
    const user = await buildLearner(database.db, clock);
    const policies = await getPolicies(database.db);
    const s1 = await createSession(deps, { userId: user.id, ip: null, userAgent: null });
    await createSession(deps, { userId: user.id, ip: null, userAgent: null });
    await requestPasswordReset(deps, user.email);
    const link = linkIn((await emailsTo(database.db, user.email))[0].text, '/mot-de-passe/');
    assert.equal(await resetTokenUsable(deps, tokenOf(link)), true);
    assert.equal(await resetPassword(deps, { token: tokenOf(link), password: 'Nouveau-mot-2026' }), 'changed');
    assert.equal(await resumeSession(deps, s1, policies), null);
    const [left] = await database.db.select({ n: count() }).from(userSessions).where(eq(userSessions.userId, user.id));
    assert.equal(left.n, 0);
    assert.equal((await authenticate(deps, { email: user.email, password: 'Nouveau-mot-2026' })).ok, true);
    assert.equal(await resetPassword(deps, { token: tokenOf(link), password: 'Encore-autre-2026' }), 'invalid', 'single use');
    assert.match((await emailsTo(database.db, user.email))[0].subject, /mot de passe a été modifié/);

    await requestPasswordReset(deps, user.email);
    const late = linkIn((await emailsTo(database.db, user.email))[0].text, '/mot-de-passe/');
    clock.advance(policies.passwordResetLinkMinutes * MINUTE);
    assert.equal(await resetPassword(deps, { token: tokenOf(late), password: 'Encore-autre-2026' }), 'invalid', 'expired');
    const mailsBefore = (await emailsTo(database.db, 'nobody@example.org')).length;
    await requestPasswordReset(deps, 'nobody@example.org');
    assert.equal((await emailsTo(database.db, 'nobody@example.org')).length, mailsBefore, 'no email for an unknown address');
  });

  it('ACC-4 changing the password ends every session; the one that changed it goes on under a new token, as old as it was', async () => {
    const user = await buildLearner(database.db, clock);
    const policies = await getPolicies(database.db);
    const other = await createSession(deps, { userId: user.id, ip: null, userAgent: null });
    const current = await createSession(deps, { userId: user.id, ip: null, userAgent: null });
    const { sessionId } = (await resumeSession(deps, current, policies))!;
    const [before] = await database.db.select().from(userSessions).where(eq(userSessions.id, sessionId));
    assert.deepEqual(await changePassword(deps, { userId: user.id, sessionId, currentPassword: 'Wrong-pass1', newPassword: 'Nouveau-mot-2026' }), { ok: false, reason: 'wrong_password' });
    assert.ok(await resumeSession(deps, other, policies), 'a wrong current password changes nothing');
    const changed = await changePassword(deps, { userId: user.id, sessionId, currentPassword: GOOD_PASSWORD, newPassword: 'Nouveau-mot-2026' });
    assert.ok(changed.ok && changed.sessionToken);
    assert.equal(await resumeSession(deps, other, policies), null, 'the other session ended');
    assert.equal(await resumeSession(deps, current, policies), null, 'the old token no longer works');
    const rotated = (await resumeSession(deps, changed.sessionToken, policies))!;
    assert.equal(rotated.user.id, user.id);
    const [after] = await database.db.select().from(userSessions).where(eq(userSessions.id, rotated.sessionId));
    assert.equal(after.expiresAt.getTime(), before.expiresAt.getTime(), 'a rotation does not lengthen the session');
    const [left] = await database.db.select({ n: count() }).from(userSessions).where(eq(userSessions.userId, user.id));
    assert.equal(left.n, 1);
    assert.equal((await authenticate(deps, { email: user.email, password: 'Nouveau-mot-2026' })).ok, true);
  });

  it('ACC-8 the login email changes only when the new address confirms, and never to a taken one', async () => {
    const user = await buildLearner(database.db, clock);
    const other = await buildLearner(database.db, clock);
    const newEmail = uniqueEmail('new');
    assert.equal((await requestEmailChange(deps, { userId: user.id, newEmail, currentPassword: 'Wrong-pass1' })).outcome, 'wrong_password');
    assert.equal((await requestEmailChange(deps, { userId: user.id, newEmail: user.email, currentPassword: GOOD_PASSWORD })).outcome, 'same_email');
    assert.equal((await requestEmailChange(deps, { userId: user.id, newEmail, currentPassword: GOOD_PASSWORD })).outcome, 'sent');
    assert.equal((await findUserByEmail(database.db, user.email))?.id, user.id, 'unchanged until confirmed');
    const link = linkIn((await emailsTo(database.db, newEmail))[0].text, '/compte/adresse/');
    assert.deepEqual(await confirmEmailChange(deps, tokenOf(link)), { ok: true, email: newEmail });
    assert.equal((await findUserByEmail(database.db, newEmail))?.id, user.id);
    assert.match((await emailsTo(database.db, user.email))[0].subject, /adresse de connexion a été modifiée/, 'the old address is told');

    await requestEmailChange(deps, { userId: user.id, newEmail: other.email, currentPassword: GOOD_PASSWORD });
    const taken = linkIn((await emailsTo(database.db, other.email))[0].text, '/compte/adresse/');
    assert.deepEqual(await confirmEmailChange(deps, tokenOf(taken)), { ok: false });
  });

  it('ACC-4 ACC-8 a password reset or change voids a pending email change and reset links; an email change voids reset links; the current address is told of a request', async () => {
    const user = await buildLearner(database.db, clock);
    const link = async (to: string, path: string) => tokenOf(linkIn((await emailsTo(database.db, to))[0].text, path));

    const first = uniqueEmail('queued');
    assert.equal((await requestEmailChange(deps, { userId: user.id, newEmail: first, currentPassword: GOOD_PASSWORD })).outcome, 'sent');
    const [told] = await emailsTo(database.db, user.email);
    assert.match(told.subject, /Demande de changement de votre adresse de connexion/, 'the current address is told when the change is asked');
    assert.ok(told.text.includes(first));
    assert.match(told.text, /mot-de-passe-oublie/, 'with what to do if it was not them');
    const queued = await link(first, '/compte/adresse/');
    await requestPasswordReset(deps, user.email);
    assert.equal(await resetPassword(deps, { token: await link(user.email, '/mot-de-passe/'), password: 'Nouveau-mot-2026' }), 'changed');
    assert.deepEqual(await confirmEmailChange(deps, queued), { ok: false }, 'a reset voids the email change asked before it');

    const second = uniqueEmail('queued');
    await requestEmailChange(deps, { userId: user.id, newEmail: second, currentPassword: 'Nouveau-mot-2026' });
    const queuedAgain = await link(second, '/compte/adresse/');
    await requestPasswordReset(deps, user.email);
    const resetBefore = await link(user.email, '/mot-de-passe/');
    const sessionId = (await resumeSession(deps, await createSession(deps, { userId: user.id, ip: null, userAgent: null }), await getPolicies(database.db)))!.sessionId;
    assert.ok((await changePassword(deps, { userId: user.id, sessionId, currentPassword: 'Nouveau-mot-2026', newPassword: 'Encore-autre-2026' })).ok);
    assert.deepEqual(await confirmEmailChange(deps, queuedAgain), { ok: false }, 'a password change voids the email change');
    assert.equal(await resetPassword(deps, { token: resetBefore, password: 'Pas-celui-la-2026' }), 'invalid', 'and the reset links');

    await requestPasswordReset(deps, user.email);
    const resetToOld = await link(user.email, '/mot-de-passe/');
    const third = uniqueEmail('moved');
    await requestEmailChange(deps, { userId: user.id, newEmail: third, currentPassword: 'Encore-autre-2026' });
    assert.deepEqual(await confirmEmailChange(deps, await link(third, '/compte/adresse/')), { ok: true, email: third });
    assert.equal(await resetPassword(deps, { token: resetToOld, password: 'Pas-celui-la-2026' }), 'invalid', 'an email change voids the reset links sent before');
    assert.equal((await authenticate(deps, { email: third, password: 'Encore-autre-2026' })).ok, true);
  });

  it('ACC-8 address and phones are updated; a name change is a request, not a change', async () => {
    const user = await buildLearner(database.db, clock, { record: { lastName: 'Petit', firstName: 'Jean' } });
    await updateContactDetails(deps, {
      userId: user.id,
      contact: { address: '1 place de la Bastille', addressComplement1: null, addressComplement2: null, postalCode: '75004', city: 'Paris', country: 'FR', mobilePhone: null, landlinePhone: '+33144556677' },
    });
    await requestNameChange(deps, { userId: user.id, lastName: 'Petit-Durand', firstName: 'Jean', birthName: null, reason: 'Mariage' });
    const profile = await getLearnerProfile(database.db, user.id);
    assert.equal(profile?.address, '1 place de la Bastille');
    assert.equal(profile?.landlinePhone, '+33144556677');
    assert.equal(profile?.lastName, 'Petit');
    assert.equal((await pendingNameChange(database.db, user.id))?.lastName, 'Petit-Durand');
  });

  it('ACC-12 staff need a TOTP code, accepted once', async () => {
    const staff = await buildStaff(database.db, clock, 'school_head');
    const passwordStep = async () => {
      const auth = await authenticate(deps, { email: staff.email, password: GOOD_PASSWORD, browser: 'csrf-secret' });
      assert.equal(auth.ok && auth.needsSecondFactor, true);
      return auth.ok && auth.needsSecondFactor ? auth.pendingLogin : '';
    };
    const codeStep = (pendingLogin: string, code: string) => verifySecondFactor(deps, { pendingLogin, browser: 'csrf-secret', code });
    const pending = await passwordStep();
    const code = await generate({ secret: staff.totpSecret, epoch: Math.floor(clock.now().getTime() / 1000) });
    assert.equal((await codeStep(pending, '000000' === code ? '111111' : '000000')).ok, false);
    assert.equal((await codeStep(pending, code)).ok, true);
    const again = await passwordStep(); // the step is used up by its login: a new one
    assert.equal((await codeStep(again, code)).ok, false, 'a code works once');
    clock.advance(30_000);
    const next = await generate({ secret: staff.totpSecret, epoch: Math.floor(clock.now().getTime() / 1000) });
    assert.equal((await codeStep(again, next)).ok, true);
  });

  it('ACC-12 a staff account cannot exist without its second factor (database check)', async () => {
    await assert.rejects(
      database.db.insert(users).values({ email: uniqueEmail(), passwordHash: 'x', role: 'admin', status: 'active', createdAt: clock.now() }),
      (error: Error & { cause?: Error }) => /users_staff_has_totp/.test(String(error.cause?.message)),
    );
  });
});
