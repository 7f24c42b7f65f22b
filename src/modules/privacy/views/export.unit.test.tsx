import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../../../messages';
import { translator } from '../../../platform/i18n';
import { renderMarkup } from '../../../../test/pages';
import type { PageContext } from '../../../ui/context';
import type { ExportFile } from '../export.service';
import { ExportReportPage } from './export';

const ctx: PageContext = { t: translator('fr'), locale: 'fr', path: '/compte/donnees/x', requestId: 'r1', csrfToken: () => 'csrf', devTools: false };
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;|&rsquo;/g, '’').replace(/\s+/g, ' ');

describe('the readable copy of one’s data (ACC-11)', () => {
  const file: ExportFile = {
    format: 'cursus-personal-data',
    formatVersion: 1,
    generatedAt: '2026-09-01T08:00:00.000Z',
    locale: 'fr',
    sections: [
      {
        key: 'emails',
        set: 'platform.messages',
        title: 'Les courriels envoyés à votre adresse',
        rows: [{ subject: '<b>Bonjour</b>', createdAt: '2026-09-01 08:00:00.12345+00', sentAt: null, newsOptIn: true, data: { reason: 'x' }, oddName: 3, birthDate: '1990-05-17' }],
      },
      { key: 'sms', set: 'platform.messages', title: 'Les SMS envoyés à votre mobile', rows: [] },
    ],
  };
  const html = renderMarkup(<ExportReportPage ctx={ctx} file={file} />);

  it('ACC-11 one heading and one table per section, the column heads in words (else the file’s names), an empty section said so', () => {
    assert.match(html, /<h2 id="section-0">Les courriels envoyés à votre adresse<\/h2>/);
    assert.match(html, /<h2 id="section-1">Les SMS envoyés à votre mobile<\/h2>/);
    assert.equal(html.match(/<table/g)?.length, 1);
    const heads = [...html.matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
    assert.deepEqual(heads, ['Objet', 'Créé le', 'Envoyé le', 'Lettre d’information', 'Détails', 'oddName', 'Date de naissance']);
    assert.match(text(html), /Rien n’est conservé dans cette partie/);
    assert.match(text(html), /Sommaire/);
  });

  it('ACC-11 values read as words: dates (JSON’s and PostgreSQL’s), yes or no, a dash for nothing, objects as their JSON, markup escaped', () => {
    const cells = [...html.matchAll(/<td><span class="wrap">([^<]*)<\/span><\/td>/g)].map((m) => m[1]);
    assert.deepEqual(cells, ['&lt;b>Bonjour&lt;/b>', '1er septembre 2026 à 10:00', '—', 'oui', '{&quot;reason&quot;:&quot;x&quot;}', '3', '17 mai 1990']);
    assert.match(text(html), /Données extraites le 1er septembre 2026 à 10:00/);
  });
});
