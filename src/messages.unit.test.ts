import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import './messages';
import { isMessageKey, registeredCatalogues, translator } from './platform/i18n';

const modules = join(import.meta.dirname, 'modules');
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the message catalogues of every module', () => {
  const catalogues = registeredCatalogues();

  it('src/messages.ts loads every module’s messages files, src/modules/<module>/<module>.messages.ts and <module>/<part>.messages.ts', () => {
    const files = readdirSync(modules, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.messages.ts'));
    const owners = readdirSync(modules).filter((m) => existsSync(join(modules, m, `${m}.messages.ts`)));
    assert.ok(files.every((f) => /^[a-z-]+\/[a-z-]+\.messages\.ts$/.test(f) && owners.includes(f.split('/')[0])), 'a messages file sits at the top of a module that has its own <module>.messages.ts');
    // Each file registers as its module, or `<module>.<part>` for a part's file.
    const expected = files.map((f) => {
      const [module, name] = f.replace('.messages.ts', '').split('/');
      return module === name ? module : `${module}.${name}`;
    });
    assert.deepEqual(catalogues.map((c) => c.owner).sort(), ['platform', ...expected].sort());
  });

  it('SVC-4 English has every French message of each catalogue, with the same placeholders', () => {
    for (const { owner, fr, en } of catalogues) {
      assert.deepEqual(Object.keys(en).sort(), Object.keys(fr).sort(), `${owner}: the same keys in English and French`);
      for (const key of Object.keys(fr)) {
        assert.ok(fr[key] && en[key], `${owner}: ${key} has a text in both languages`);
        assert.deepEqual(placeholders(en[key]), placeholders(fr[key]), `${owner}: ${key}`);
      }
    }
  });

  it('defines each key once, across the platform and the modules', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const { owner, fr } of catalogues)
      for (const key of Object.keys(fr)) {
        if (seen.has(key)) twice.push(`${key} (${seen.get(key)}, ${owner})`);
        seen.set(key, owner);
      }
    assert.deepEqual(twice, []);
    assert.ok(seen.size > 700, `every catalogue is there (${seen.size} keys)`);
  });

  it('the translators and isMessageKey know the keys of every module', () => {
    assert.equal(translator('fr')('birthDate.tooYoung', { age: 18 }), 'Les cours sont ouverts aux personnes de 18 ans ou plus.');
    assert.equal(translator('en')('apps.status.awaiting_payment'), 'Enrolment validated: to pay');
    for (const key of ['apps.status.accepted', 'sel.kind.test', 'cat.err.required', 'policy.minimumAge', 'learners.title', 'home.title', 'layout.skip']) assert.ok(isMessageKey(key), key);
    assert.equal(isMessageKey('form.required'), false);
  });
});
