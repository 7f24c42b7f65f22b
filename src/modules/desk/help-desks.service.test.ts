import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { buildStaff, validRecord } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { auditLog } from '../../platform/platform.table';
import { courseSessions, schools } from '../catalogue/catalogue.table';
import { markSessionCancelled } from '../catalogue';
import { assistedLearnerFile, desksOf, registerAssistedLearner, type Staff } from './desk.service';
import {
  addCounsellorToDesk,
  createHelpDesk,
  deskCodeOf,
  findHelpDesk,
  getHelpDesk,
  listHelpDesks,
  removeCounsellorFromDesk,
  setHelpDeskClosed,
  updateHelpDesk,
} from './help-desks.service';

describe('SVC-5 the central service runs the help desks (service)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
  let deps: { db: Database['db']; clock: FixedClock };
  let admin: Staff;
  let coordinator: Staff;
  let counsellor: Staff;
  let trainer: Staff;
  const desk = (overrides: Partial<Parameters<typeof createHelpDesk>[2]> = {}) => ({ name: 'Accueil Paris 11e', address: '12 place Léon-Blum', hours: '9 h – 12 h', schools: [], arrondissements: [11], ...overrides });

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock };
    await buildCatalogue(database.db, clock, [
      { code: 'FLE-H1', weekday: 1, startsAt: '09:00', endsAt: '11:00' },
      { code: 'FLE-H2', weekday: 2, startsAt: '09:00', endsAt: '11:00' },
      { code: 'FLE-H3', weekday: 3, startsAt: '09:00', endsAt: '11:00', period: 'closed' },
    ]);
    await database.db.insert(schools).values({ code: 'E-18-H', name: 'École du 18e', arrondissement: 18, address: '1 rue Ordener', postalCode: '75018', city: 'Paris' });
    const [a, k, c, tr] = await Promise.all(['admin', 'coordinator', 'counsellor', 'trainer'].map((r) => buildStaff(database.db, clock, r as 'admin')));
    admin = { id: a.userId, role: 'admin' };
    coordinator = { id: k.userId, role: 'coordinator' };
    counsellor = { id: c.userId, role: 'counsellor' };
    trainer = { id: tr.userId, role: 'trainer' };
  });
  after(() => database.close());

  it('SVC-5 an administrator adds a desk: its code from its name, what it serves; only an administrator', async () => {
    const created = await createHelpDesk(deps, admin, desk({ schools: ['E-18-H'], arrondissements: [11, 12] }));
    assert.ok(created.ok, JSON.stringify(created));
    const found = await getHelpDesk(database.db, created.deskId);
    assert.equal(found?.code, 'accueil-paris-11e');
    assert.deepEqual([found?.schools, found?.arrondissements], [['E-18-H'], [11, 12]]);
    const twin = await createHelpDesk(deps, admin, desk());
    assert.ok(twin.ok);
    assert.equal((await getHelpDesk(database.db, twin.deskId))?.code, 'accueil-paris-11e-2', 'a second desk of that name gets its own code');
    assert.equal(deskCodeOf('  Accueil – Mairie du 20ᵉ !'), 'accueil-mairie-du-20e');
    assert.deepEqual(await createHelpDesk(deps, coordinator, desk()), { ok: false, code: 'forbidden' });
    const [row] = await database.db.select().from(auditLog).where(eq(auditLog.action, 'desk.created')).limit(1);
    assert.equal(row.actorId, admin.id);
  });

  it('SVC-5 bad input: no school nor arrondissement, unknown school codes: refused next to the field, nothing made', async () => {
    const before = (await listHelpDesks(database.db)).length;
    const none = await createHelpDesk(deps, admin, desk({ schools: [], arrondissements: [] }));
    assert.deepEqual(none, { ok: false, code: 'invalid', field: 'schools', error: { message: 'hdesk.err.noScope' } });
    const unknown = await createHelpDesk(deps, admin, desk({ schools: ['E-18-H', 'NOPE-1'] }));
    assert.deepEqual(unknown, { ok: false, code: 'invalid', field: 'schools', error: { message: 'hdesk.err.unknownSchools', params: { codes: 'NOPE-1' } } });
    assert.equal((await listHelpDesks(database.db)).length, before);
  });

  it('SVC-5 rename and change what a desk serves (replaced); an unknown or huge id is not found', async () => {
    const created = await createHelpDesk(deps, admin, desk({ name: 'Accueil à renommer' }));
    assert.ok(created.ok);
    assert.deepEqual(await updateHelpDesk(deps, admin, created.deskId, desk({ name: 'Accueil renommé', arrondissements: [18] })), { ok: true });
    const found = await getHelpDesk(database.db, created.deskId);
    assert.deepEqual([found?.name, found?.code, found?.arrondissements], ['Accueil renommé', 'accueil-a-renommer', [18]], 'the code stays: the audit rows name the desk by it');
    assert.deepEqual(await updateHelpDesk(deps, admin, 987_654, desk()), { ok: false, code: 'not_found' });
    assert.equal(await getHelpDesk(database.db, Number.MAX_SAFE_INTEGER), null);
    assert.equal(await getHelpDesk(database.db, 2 ** 40), null, 'never an integer out of range in the query');
    assert.deepEqual(await updateHelpDesk(deps, trainer, created.deskId, desk()), { ok: false, code: 'forbidden' });
  });

  it('SVC-5 a counsellor is assigned and removed; a trainer, an unknown account or a closed desk are refused next to the field', async () => {
    const created = await createHelpDesk(deps, admin, desk({ name: 'Accueil des conseillers' }));
    assert.ok(created.ok);
    const deskId = created.deskId;
    assert.deepEqual(await addCounsellorToDesk(deps, admin, { deskId, userId: counsellor.id }), { ok: true });
    assert.deepEqual(await addCounsellorToDesk(deps, admin, { deskId, userId: counsellor.id }), { ok: true }, 'twice: nothing more');
    assert.deepEqual((await desksOf(database.db, counsellor.id)).map((d) => d.id), [deskId]);
    assert.deepEqual(await addCounsellorToDesk(deps, admin, { deskId, userId: trainer.id }), { ok: false, code: 'invalid', field: 'counsellor', error: { message: 'hdesk.err.notCounsellor' } });
    assert.deepEqual(await addCounsellorToDesk(deps, admin, { deskId, userId: '00000000-0000-4000-8000-000000000000' }), {
      ok: false,
      code: 'invalid',
      field: 'counsellor',
      error: { message: 'hdesk.err.unknownCounsellor' },
    });
    assert.deepEqual(await addCounsellorToDesk(deps, coordinator, { deskId, userId: counsellor.id }), { ok: false, code: 'forbidden' });
    assert.deepEqual(await removeCounsellorFromDesk(deps, admin, { deskId, userId: trainer.id }), { ok: false, code: 'invalid', field: 'counsellor', error: { message: 'hdesk.err.notAssigned' } });
    assert.deepEqual(await removeCounsellorFromDesk(deps, admin, { deskId, userId: counsellor.id }), { ok: true });
    assert.deepEqual(await desksOf(database.db, counsellor.id), []);
    const audits = await database.db.select().from(auditLog).where(eq(auditLog.subjectId, counsellor.id));
    assert.deepEqual(audits.map((a) => a.action).filter((a) => a.startsWith('desk.')), ['desk.counsellor_assigned', 'desk.counsellor_removed']);
  });

  it('SVC-5 a closed desk is nobody’s: its counsellor no longer works from it; it can be reopened; no counsellor is added to it', async () => {
    const created = await createHelpDesk(deps, admin, desk({ name: 'Accueil fermé' }));
    assert.ok(created.ok);
    await addCounsellorToDesk(deps, admin, { deskId: created.deskId, userId: counsellor.id });
    assert.deepEqual(await setHelpDeskClosed(deps, admin, created.deskId, true), { ok: true, changed: true });
    assert.deepEqual(await setHelpDeskClosed(deps, admin, created.deskId, true), { ok: true, changed: false }, 'closing twice changes nothing');
    assert.deepEqual(await desksOf(database.db, counsellor.id), []);
    const refused = await registerAssistedLearner({ ...deps, baseUrl: 'http://localhost' }, counsellor, { email: null, accountLocale: 'fr', record: { ...validRecord(), mobilePhone: '+33612349901' }, consent: true });
    assert.ok(!refused.ok && refused.code === 'SVC-5', 'no registration at a closed desk');
    assert.deepEqual(await addCounsellorToDesk(deps, admin, { deskId: created.deskId, userId: counsellor.id }), { ok: false, code: 'invalid', field: 'counsellor', error: { message: 'hdesk.err.closed' } });
    assert.deepEqual(await setHelpDeskClosed(deps, admin, created.deskId, false), { ok: true, changed: true });
    assert.deepEqual((await desksOf(database.db, counsellor.id)).map((d) => d.id), [created.deskId]);
    await removeCounsellorFromDesk(deps, admin, { deskId: created.deskId, userId: counsellor.id });
  });

  it('SVC-5 SVC-2 what the desk serves is its counsellors’ scope: its sessions are offered, but not a cancelled one nor one whose applications have closed', async () => {
    const eleventh = await createHelpDesk(deps, admin, desk({ name: 'Accueil du 11e', arrondissements: [11] }));
    assert.ok(eleventh.ok);
    const c = await buildStaff(database.db, clock, 'counsellor');
    const staff: Staff = { id: c.userId, role: 'counsellor' };
    await addCounsellorToDesk(deps, admin, { deskId: eleventh.deskId, userId: staff.id });
    const [cancelled] = await database.db.select().from(courseSessions).where(eq(courseSessions.code, 'FLE-H2'));
    await database.db.transaction((tx) => markSessionCancelled(tx, cancelled.id, clock.now()));
    const learner = await registerAssistedLearner({ ...deps, baseUrl: 'http://localhost' }, staff, { email: null, accountLocale: 'fr', record: { ...validRecord(), mobilePhone: '+33612349902' }, consent: true });
    assert.ok(learner.ok, JSON.stringify(learner));
    const file = await assistedLearnerFile({ ...deps, baseUrl: 'http://localhost' }, staff, learner.learnerId);
    assert.ok(file.ok);
    assert.deepEqual(file.file.sessions.map((s) => s.code), ['FLE-H1'], 'no staff_scopes: the desk’s arrondissement; FLE-H2 cancelled, FLE-H3 closed');
    // The desk now serves the 18th only: the 11th's sessions are no longer theirs.
    await updateHelpDesk(deps, admin, eleventh.deskId, desk({ name: 'Accueil du 11e', schools: ['E-18-H'], arrondissements: [] }));
    const after = await assistedLearnerFile({ ...deps, baseUrl: 'http://localhost' }, staff, learner.learnerId);
    assert.ok(after.ok);
    assert.deepEqual(after.file.sessions, []);
  });

  it('SVC-5 the CLI’s --desk: by id, by name or code whatever the case; unknown, ambiguous (give the id) or closed', async () => {
    const created = await createHelpDesk(deps, admin, desk({ name: 'Accueil Mairie du 20e', arrondissements: [20] }));
    assert.ok(created.ok);
    const byId = await findHelpDesk(database.db, String(created.deskId));
    assert.ok(byId.ok && byId.desk.id === created.deskId);
    const byName = await findHelpDesk(database.db, '  accueil mairie du 20E ');
    assert.ok(byName.ok && byName.desk.id === created.deskId);
    const byCode = await findHelpDesk(database.db, 'accueil-mairie-du-20e');
    assert.ok(byCode.ok && byCode.desk.id === created.deskId);
    assert.deepEqual(await findHelpDesk(database.db, 'Accueil Paris 11e'), { ok: false, reason: 'ambiguous' });
    assert.deepEqual(await findHelpDesk(database.db, '99999999999999999999'), { ok: false, reason: 'unknown' });
    assert.deepEqual(await findHelpDesk(database.db, 'Nulle part'), { ok: false, reason: 'unknown' });
    await setHelpDeskClosed(deps, admin, created.deskId, true);
    assert.deepEqual(await findHelpDesk(database.db, String(created.deskId)), { ok: false, reason: 'closed' });
  });
});
