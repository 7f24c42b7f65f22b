import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from 'preact-render-to-string';
import type { VNode } from 'preact';
import { translator } from '../platform/i18n';
import { Checkbox, Radios, Select, Table, TextArea, TextField } from './components';
import type { FormState } from './context';

const t = translator('fr');
const html = (node: VNode) => render(node);
const blank: FormState = { values: {}, errors: {} };
const wrong: FormState = { values: { x: 'typed' }, errors: { x: { message: 'field.required' } } };
const options = [
  { value: 'a', label: 'Un' },
  { value: 'b', label: 'Deux' },
];

/** Every kind of field, drawn the same way: name "x", label "Champ", hint "Aide". */
const kinds: Record<string, (form: FormState, required: boolean) => VNode> = {
  text: (form, required) => <TextField t={t} form={form} name="x" label="Champ" hint="Aide" required={required} />,
  textarea: (form, required) => <TextArea t={t} form={form} name="x" label="Champ" hint="Aide" required={required} />,
  select: (form, required) => <Select t={t} form={form} name="x" label="Champ" hint="Aide" options={options} required={required} />,
  checkbox: (form, required) => <Checkbox t={t} form={form} name="x" label="Champ" hint="Aide" required={required} />,
  radios: (form, required) => <Radios t={t} form={form} name="x" legend="Champ" hint="Aide" options={options} required={required} />,
};

describe('FieldShell: every field kind gets the same marks', () => {
  for (const [kind, field] of Object.entries(kinds)) {
    it(`${kind}: an optional field says "(facultatif)" after its label; a required one sets aria-required instead`, () => {
      const optional = html(field(blank, false));
      assert.match(optional, /Champ <span class="optional">\(facultatif\)<\/span><\/(label|legend)>/);
      assert.doesNotMatch(optional, /aria-required/);
      const required = html(field(blank, true));
      assert.doesNotMatch(required, /facultatif/);
      assert.equal(required.match(/aria-required="true"/g)?.length, 1);
    });

    it(`${kind}: the hint, then the error (id x-error) describe the control, which is marked invalid`, () => {
      const page = html(field(wrong, true));
      assert.match(page, /<p class="hint" id="x-hint">Aide<\/p>/);
      assert.match(page, /<p class="error-message" id="x-error">Ce champ est obligatoire.<\/p>/);
      assert.match(page, /aria-invalid="true" aria-describedby="x-hint x-error"/);
      assert.match(page, /class="field[^"]* field-error"/);
      assert.match(page, /id="x"/, 'the error summary links to #x');
      assert.doesNotMatch(html(field(blank, true)), /aria-invalid|x-error/);
    });
  }

  it('radios: the group (role radiogroup, named by its legend) carries the marks, which ARIA does not allow on a radio', () => {
    const page = html(kinds.radios(wrong, true));
    assert.match(page, /<fieldset class="field field-error" role="radiogroup" aria-labelledby="x-legend" aria-required="true" aria-invalid="true" aria-describedby="x-hint x-error">/);
    assert.doesNotMatch(page, /<input[^>]*aria-/);
  });

  it('text: what was typed is shown again, a password never', () => {
    assert.match(html(kinds.text(wrong, true)), /value="typed"/);
    assert.doesNotMatch(html(<TextField t={t} form={wrong} name="x" label="Champ" type="password" />), /typed/);
  });
});

describe('Table', () => {
  const rows = [
    { code: 'S1', name: 'Anglais' },
    { code: 'S2', name: 'Espagnol' },
  ];
  const page = html(
    <Table
      id="list"
      caption="Les sessions"
      captionHidden
      rows={rows}
      columns={[
        { label: 'Code', rowHeader: true, cell: (r) => r.code },
        { label: 'Intitulé', sort: { href: '/liste?tri=nom&sens=desc', hint: 'trier par ordre décroissant', direction: 'ascending' }, cell: (r) => r.name },
        { label: 'Trié ailleurs', sort: { href: '/liste?tri=autre', hint: 'trier par ordre croissant' }, cell: () => '—' },
        false,
        { label: 'Actions', labelHidden: true, cell: () => <button type="button">Ouvrir</button> },
      ]}
    />,
  );

  it('sits in a region that scrolls by itself, named by the caption and reachable by keyboard (WCAG 1.4.10)', () => {
    assert.match(page, /^<div class="table-scroll" role="region" aria-labelledby="list-caption" tabindex="0"><table class="table" id="list"><caption id="list-caption" class="visually-hidden">Les sessions<\/caption>/);
  });

  it('sortable head cells link to their order, say it to screen readers, and the sorted one has aria-sort', () => {
    assert.match(page, /<th scope="col" aria-sort="ascending"><a href="\/liste\?tri=nom&amp;sens=desc">Intitulé<span class="visually-hidden"> — trier par ordre décroissant<\/span><span aria-hidden="true"> ▲<\/span><\/a><\/th>/);
    assert.match(page, /<th scope="col"><a href="\/liste\?tri=autre">Trié ailleurs<span class="visually-hidden"> — trier par ordre croissant<\/span><\/a><\/th>/);
    assert.equal(page.match(/aria-sort/g)?.length, 1);
  });

  it('draws one row per item, plain cells, the row header as th, leaving out false columns', () => {
    assert.match(page, /<tr><th scope="row">S1<\/th><td>Anglais<\/td><td>—<\/td><td><button type="button">Ouvrir<\/button><\/td><\/tr>/);
    assert.equal(page.match(/<tr>/g)?.length, 3);
    assert.match(page, /<th scope="col"><span class="visually-hidden">Actions<\/span><\/th>/);
  });
});
