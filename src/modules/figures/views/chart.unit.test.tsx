import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from 'preact-render-to-string';
import '../../../messages';
import { translator } from '../../../platform/i18n';
import { BarChart } from './chart';

const t = translator('fr');
const bars = [
  { label: 'École Oberkampf', value: 36, text: '36 %' },
  { label: 'École Voltaire', value: 100, text: '100 %' },
  { label: 'École Parmentier', value: 0, text: '0 %' },
];

describe('SVC-6: a bar chart drawn on the server', () => {
  const html = render(<BarChart t={t} id="c" title="Taux de remplissage par établissement" kind="percent" bars={bars} labelHeader="Établissement" valueHeader="Taux" />);

  it('SVC-6: is one image with its title and a description of its highest and lowest values', () => {
    assert.match(html, /<svg[^>]* role="img"[^>]* aria-labelledby="c-svg-title c-desc"/);
    assert.match(html, /<title id="c-svg-title">Taux de remplissage par établissement<\/title>/);
    assert.match(html, /<desc id="c-desc">[^<]*École Voltaire, 100 %[^<]*École Parmentier, 0 %/);
  });

  it('SVC-6: draws each bar with its label and value, lengths as attributes, no inline style (the CSP)', () => {
    assert.doesNotMatch(html, /style=/);
    const widths = [...html.matchAll(/<rect class="chart-bar" x="0" y="\d+" width="(\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(widths, [191, 530, 0], '36 % and 100 % of the 530 units of the bars');
    for (const bar of bars) {
      assert.ok(html.includes(`>${bar.label}</text>`), bar.label);
      assert.ok(html.includes(`>${bar.text}</text>`), bar.text);
    }
  });

  it('SVC-6: is followed by its data table: a caption, column and row headers with their scope', () => {
    const table = html.slice(html.indexOf('</svg>'));
    assert.match(table, /<caption id="c-data-caption"[^>]*>Données du diagramme : Taux de remplissage par établissement<\/caption>/);
    assert.match(table, /<th scope="col">Établissement<\/th><th scope="col">Taux<\/th>/);
    assert.match(table, /<th scope="row">École Voltaire<\/th><td>100 %<\/td>/);
  });

  it('SVC-6: says when there is nothing to draw, and describes a single bar without a lowest', () => {
    const empty = render(<BarChart t={t} id="e" title="Vide" kind="count" bars={[]} labelHeader="a" valueHeader="b" />);
    assert.doesNotMatch(empty, /<svg/);
    assert.match(empty, /Rien à représenter/);
    const one = render(<BarChart t={t} id="o" title="Un" kind="count" bars={[{ label: 'Plein tarif', value: 3, text: '3' }]} labelHeader="a" valueHeader="b" />);
    assert.match(one, /<desc id="o-desc">Diagramme en barres horizontales d’une seule valeur : Plein tarif, 3\./);
  });
});
