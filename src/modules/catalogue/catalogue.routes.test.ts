import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, startTestApp, type TestApp } from '../../../test/app';
import { translator } from '../../platform/i18n';
import { importCatalogue } from './catalogue.import';
import { listPeriods } from './catalogue.service';
import { seedCatalogue } from './catalogue.seed';

/** Text as a reader sees it: no tags, entities decoded, spaces (non-breaking ones too) collapsed. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .trim();

/** A course sheet as shown: its title, domain link, each labelled field, and the sections before the sessions. */
function readSheet(body: string) {
  const main = /<main[\s\S]*?<\/main>/.exec(body)![0];
  const course = main.slice(0, main.indexOf('id="sessions"'));
  const section = (heading: string) => text(new RegExp(`<h2>${heading}</h2>\\s*<p>([\\s\\S]*?)</p>`).exec(course)?.[1] ?? '');
  const dl = /<dl class="summary">([\s\S]*?)<\/dl>/.exec(course)![1];
  return {
    title: text(/<h1>([\s\S]*?)<\/h1>/.exec(course)![1]),
    domain: /<a href="(\/recherche\?domaine=[^"]+)">([^<]+)<\/a>/.exec(course)?.slice(1, 3),
    objectives: section('Objectifs'),
    programme: section('Programme'),
    fields: Object.fromEntries([...dl.matchAll(/<dt>([\s\S]*?)<\/dt>\s*<dd>([\s\S]*?)<\/dd>/g)].map((m) => [text(m[1]), text(m[2])])),
    previousLink: /<dd>\s*<a href="(\/formations\/[^"]+)"/.exec(dl)?.[1],
  };
}

describe('catalogue pages', () => {
  let t: TestApp;
  let browser: Client;
  before(async () => {
    t = await startTestApp();
    await seedCatalogue(t.db, t.clock);
    browser = new Client(t.app);
  });
  after(() => t.close());

  it('CAT-6 the home page shows the registration calendar, period tiles told apart by more than colour, and the domains', async () => {
    const home = await browser.get('/');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Calendrier des inscriptions/);
    assert.match(home.body, /Cours annuels et premier semestre/);
    assert.match(home.body, /class="tile tile-open"[\s\S]*?Candidatures ouvertes/);
    assert.match(home.body, /class="tile tile-closed"[\s\S]*?Candidatures fermées/);
    assert.match(home.body, /Ouverture le/);
    // For each period, its application window and the window in which answers are sent.
    const fr = translator('fr');
    const periods = await listPeriods(t.db);
    assert.equal(periods.length, 3);
    for (const p of periods)
      assert.ok(
        home.body.includes(`<th scope="row">${p.name}</th><td>du ${fr.date(p.applicationsOpenAt)} au ${fr.date(p.applicationsCloseAt)}</td><td>du ${fr.date(p.answersFrom)} au ${fr.date(p.answersUntil)}</td>`),
        `${p.name}: both windows`,
      );
    assert.match(home.body, /href="\/recherche\?domaine=langue-francaise">Langue française</);
    assert.equal((home.body.match(/href="\/recherche\?domaine=/g) ?? []).length, 11);
  });

  it('CAT-1 a course sheet has every field: title, domain, objectives, audience, prerequisites, programme, level and previous course, rhythm, mode, hours, rates, flags, admission test', async () => {
    const header = 'code,title,domain,objectives,audience,prerequisites,programme,level,previous_course,rhythm,mode,hourly_volume,full_rate,half_rate,prepares_diploma,has_evaluation,admission_test\n';
    const imported = await importCatalogue(t.db, {
      courses:
        header +
        'CAT1-RU1,Russe – débutants,Langues étrangères,Lire l’alphabet cyrillique et se présenter.,Tout adulte curieux.,Aucun prérequis.,"Alphabet, salutations, nombres.",,,intensive,remote,30,"75,00","37,50",non,oui,anticipated_test\n' +
        'CAT1-RU2,Russe – niveau 2,Langues étrangères,Tenir une conversation simple en russe.,Adultes ayant suivi le niveau 1.,Savoir lire le cyrillique.,"Grammaire des cas, dialogues, lectures courtes.",2,CAT1-RU1,semester2,hybrid,45,"112,50","56,25",oui,non,interview\n',
    });
    assert.equal(imported.ok, true, JSON.stringify(imported));

    const second = await browser.get('/formations/CAT1-RU2');
    assert.equal(second.statusCode, 200);
    assert.deepEqual(readSheet(second.body), {
      title: 'Russe – niveau 2',
      domain: ['/recherche?domaine=langues-etrangeres', 'Langues étrangères'],
      objectives: 'Tenir une conversation simple en russe.',
      programme: 'Grammaire des cas, dialogues, lectures courtes.',
      fields: {
        Public: 'Adultes ayant suivi le niveau 1.',
        Prérequis: 'Savoir lire le cyrillique.',
        Niveau: '2',
        'Accessible après': 'Russe – débutants',
        Rythme: 'Second semestre',
        'Type de cours': 'Hybride (présentiel et distanciel)',
        'Volume horaire': '45 heures',
        Tarif: 'plein tarif 112,50 €, demi-tarif 56,25 €',
        Admission: 'Entretien',
        'Prépare à un diplôme': 'Oui',
        'Se termine par une évaluation (certificat de compétences)': 'Non',
      },
      previousLink: '/formations/CAT1-RU1',
    });

    // The other value of each flag and choice; no level and no previous course: no such lines.
    const first = await browser.get('/formations/CAT1-RU1');
    assert.deepEqual(readSheet(first.body), {
      title: 'Russe – débutants',
      domain: ['/recherche?domaine=langues-etrangeres', 'Langues étrangères'],
      objectives: 'Lire l’alphabet cyrillique et se présenter.',
      programme: 'Alphabet, salutations, nombres.',
      fields: {
        Public: 'Tout adulte curieux.',
        Prérequis: 'Aucun prérequis.',
        Rythme: 'Intensif',
        'Type de cours': 'Distanciel',
        'Volume horaire': '30 heures',
        Tarif: 'plein tarif 75,00 €, demi-tarif 37,50 €',
        Admission: 'Test anticipé avant le début des cours',
        'Prépare à un diplôme': 'Non',
        'Se termine par une évaluation (certificat de compétences)': 'Oui',
      },
      previousLink: undefined,
    });
  });

  it('CAT-3 CAT-5 results show the objectives, school, days and times, free places, and lead to the sheet', async () => {
    const page = await browser.get('/recherche?q=cuisine');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /\d+ cours trouvés/);
    assert.match(page.body, /Les techniques de base de la cuisine française/);
    assert.match(page.body, /<dd>(École élémentaire|Collège|Lycée|Centre de formation) \d+ [^<]+, \d+(e|er) arrondissement<\/dd>/);
    assert.match(page.body, /\d+ places libres sur 12/);
    assert.match(page.body, /(Lundi|Mardi|Mercredi|Jeudi|Vendredi|Samedi) de \d+ h/);
    const href = /<h3><a href="(\/formations\/[^"#]+)/.exec(page.body)![1];
    const sheet = await browser.get(href);
    assert.equal(sheet.statusCode, 200);
    assert.match(sheet.body, /<h1>Cuisine française<\/h1>/);
    assert.match(sheet.body, /Voir les \d+ séances/);
    assert.match(sheet.body, /plein tarif 225,00\s€/);
  });

  it('CAT-3 results tell open, closed and upcoming periods apart in words', async () => {
    const page = await browser.get('/recherche?periode=s2');
    assert.match(page.body, /Cours du second semestre — <span class="badge badge-upcoming">Ouverture le \d+/);
    const open = await browser.get('/recherche?ouvertes=1');
    assert.match(open.body, /badge-open">Candidatures ouvertes/);
    assert.ok(!open.body.includes('badge-closed'));
  });

  it('CAT-4 filters stay in the URL and come back checked; pagination links keep them', async () => {
    const page = await browser.get('/recherche?ouvertes=1&jour=1&horaire=evening&arrondissement=11');
    assert.match(page.body, /id="ouvertes" name="ouvertes" value="1" checked/);
    assert.match(page.body, /id="jour-1" name="jour" value="1" checked/);
    assert.match(page.body, /value="11" selected/);
    const all = await browser.get('/recherche?domaine=langues-etrangeres');
    assert.match(all.body, /href="\/recherche\?domaine=langues-etrangeres&amp;page=2"/);
  });

  it('CAT-4 the school list follows the arrondissement: only its schools, with or without JavaScript', async () => {
    const page = await browser.get('/recherche?arrondissement=11');
    const options = [...page.body.matchAll(/<option value="(E-[^"]+)"/g)].map((m) => m[1]);
    assert.ok(options.length > 0 && options.every((code) => code.startsWith('E-11-')), options.join());
    const none = await browser.get('/recherche');
    assert.equal([...none.body.matchAll(/<option value="E-/g)].length, 0, 'no school before an arrondissement');
    const json = await browser.get('/recherche/etablissements?arrondissement=20');
    const schools = JSON.parse(json.body) as { code: string; name: string }[];
    assert.ok(schools.length > 0 && schools.every((s) => s.code.startsWith('E-20-')));
    assert.deepEqual(JSON.parse((await browser.get('/recherche/etablissements?arrondissement=abc')).body), []);
  });

  it('bad query strings give a normal page or a 404, never a 500, and nothing unescaped', async () => {
    const tries = [
      '/recherche?page=-1',
      '/recherche?page=1000000000000',
      '/recherche?page=abc',
      `/recherche?q=${'x'.repeat(30_000)}`,
      '/recherche?q=%27%3B%20drop%20table%20courses%3B%20--',
      '/recherche?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      '/recherche?domaine=%3Cb%3E&rythme=never&mode=x&jour=99&horaire=night&arrondissement=99&etablissement=%22%3E',
      '/recherche?q[]=a&q[]=b&jour[a]=1',
      '/recherche?%ZZ=1',
    ];
    for (const url of tries) {
      const response = await browser.get(url);
      assert.equal(response.statusCode, 200, url);
      assert.ok(!response.body.includes('<script>alert(1)</script>'), url);
      assert.ok(!response.body.includes('<b>'), url);
    }
    const escaped = await browser.get('/recherche?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    assert.match(escaped.body, /value="&lt;script>alert\(1\)&lt;\/script>"/);
    const past = await browser.get('/recherche?page=400');
    assert.match(past.body, /Cette page n’existe pas/);
    for (const url of ['/formations/INCONNU', '/formations/%3Cscript%3E', `/formations/${'F'.repeat(250)}`, '/formations/1%27%20or%201%3D1']) {
      const response = await browser.get(url);
      assert.equal(response.statusCode, 404, url);
      assert.match(response.body, /Page introuvable/);
    }
  });

  it('SVC-4 the catalogue reads in English too', async () => {
    const english = new Client(t.app);
    await english.get('/langue/en');
    const page = await english.get('/recherche?q=anglais');
    assert.match(page.body, /\d+ courses found/);
    assert.match(page.body, /(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday) from \d\d:\d\d to/);
  });
});
