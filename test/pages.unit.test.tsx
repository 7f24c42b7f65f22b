/**
 * The tests read a page without the stylesheet inlined in its head (test/pages.ts): what they look
 * for is the markup's, and a class said to be absent is absent from the markup, whatever the CSS.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../src/messages';
import { inlineStyle } from '../src/platform/assets';
import { renderPage } from '../src/platform/http';
import { translator } from '../src/platform/i18n';
import type { PageContext } from '../src/ui/context';
import { Layout } from '../src/ui/Layout';
import { renderMarkup, withoutStyle } from './pages';

const ctx: PageContext = { t: translator('fr'), locale: 'fr', path: '/recherche', requestId: 'r1', csrfToken: () => 'csrf', devTools: false };
const layout = (body: string) => (
  <Layout ctx={ctx} title="Essai">
    <div dangerouslySetInnerHTML={{ __html: body }} />
  </Layout>
);
const page = (body: string) => renderMarkup(layout(body));

describe('the tests read pages without the inlined stylesheet (issue 19 point 8)', () => {
  it('the stylesheet names the classes the tests look for, and a page carries it whole in its head', () => {
    const css = inlineStyle('app.css');
    for (const name of ['.badge-closed', '.oidc-separator', '.fr-connect']) assert.ok(css.includes(name), name);
    assert.ok(renderPage(layout('')).includes(`<style>${css}</style>`), 'as the app sends it');
    assert.ok(!page('').includes(css), 'as the tests read it');
    assert.match(page(''), /<head>[\s\S]*<title>Essai – [^<]+<\/title>[\s\S]*<script type="module" src="\/static\/app\.[0-9a-f]{10}\.js"><\/script><\/head>/, 'the rest of the head stays');
  });

  it('a class absent from the markup is not found in the CSS; present in the markup, it is found, and saying it is absent fails', () => {
    assert.doesNotMatch(page('<p>Rien</p>'), /badge-closed|oidc-separator|fr-connect/);
    const closed = page('<span class="badge badge-closed">Candidatures closes</span>');
    assert.match(closed, /badge-closed/);
    assert.throws(() => assert.doesNotMatch(closed, /badge-closed/), assert.AssertionError);
    assert.throws(() => assert.ok(!closed.includes('badge-closed')), assert.AssertionError);
  });

  it('any other <style> element in a page is an error, never hidden (the CSP allows the stylesheet only)', () => {
    assert.throws(() => page('<style>.x{}</style>'), /a <style> element that is not the inlined stylesheet/);
    assert.equal(withoutStyle('<p>&lt;style&gt; is a word here</p>'), '<p>&lt;style&gt; is a word here</p>');
  });
});
