import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import '../../messages';
import { translator, type Locale } from '../../platform/i18n';
import { renderMarkup } from '../../../test/pages';
import type { PageContext } from '../../ui/context';
import { defaultHelpLine } from '../../ui/help-line';
import { allArticles, articlesByTheme, findArticle, helpSlugs, helpThemes, markdown, parseArticle } from './help.articles';
import { fillHelpLine, readHelpQuery } from './help.routes';
import { HELP_QUERY_MAX, searchHelp } from './help.search';
import { helpLink } from './views/help-link';
import { HelpArticlePage, HelpHomePage } from './views/help';
import { emptyForm } from '../../ui/context';

const ctxOf = (locale: Locale): PageContext => ({ t: translator(locale), locale, path: '/aide', requestId: 'r1', csrfToken: () => 'csrf', devTools: false });
const slugsOf = (query: string, locale: Locale = 'fr') => searchHelp(locale, query).map((a) => a.slug);

describe('SVC-1 help articles', () => {
  it('SVC-1 SVC-4 every article exists in French and English, under the same slug and theme', () => {
    for (const locale of ['fr', 'en'] as const) {
      const files = readdirSync(join(import.meta.dirname, 'content', locale)).map((f) => f.replace(/\.md$/, ''));
      assert.deepEqual(files.sort(), [...helpSlugs].sort(), `${locale}: one file per slug, no other`);
    }
    for (const slug of helpSlugs) assert.equal(findArticle('fr', slug)!.theme, findArticle('en', slug)!.theme, slug);
    assert.ok(helpThemes.every((theme) => articlesByTheme('fr').find((g) => g.theme === theme)!.articles.length > 0), 'every theme has articles');
  });

  it('SVC-1 every article renders as a page in both languages, with its title, a summary and no placeholder left', () => {
    for (const locale of ['fr', 'en'] as const)
      for (const article of allArticles(locale)) {
        const html = renderMarkup(<HelpArticlePage ctx={ctxOf(locale)} article={article} html={fillHelpLine(article.html, translator(locale), defaultHelpLine)} sameTheme={[]} />);
        assert.ok(html.includes(`<h1 id="help-article-title">`), `${locale}/${article.slug}`);
        assert.ok(article.summary.length > 10, `${locale}/${article.slug} has a first paragraph`);
        assert.doesNotMatch(html, /\{\{|\}\}/, `${locale}/${article.slug}: placeholders filled`);
        assert.ok(article.title.length <= 80, `${locale}/${article.slug}: a short title`);
      }
    const home = renderMarkup(<HelpHomePage ctx={ctxOf('fr')} form={emptyForm()} themes={articlesByTheme('fr')} />);
    for (const slug of helpSlugs) assert.ok(home.includes(`href="/aide/${slug}"`), `the help page lists ${slug}`);
  });

  it('SVC-1 an article’s links lead to this site: help links to existing articles, others to a path', () => {
    for (const locale of ['fr', 'en'] as const)
      for (const article of allArticles(locale))
        for (const [, href] of article.html.matchAll(/href="([^"]*)"/g)) {
          assert.match(href, /^\/(?!\/)/, `${locale}/${article.slug}: ${href} is a path of this site`);
          const help = /^\/aide\/([^/?#]+)/.exec(href);
          if (help) assert.ok(findArticle(locale, help[1]), `${locale}/${article.slug}: ${href} is an article`);
        }
  });

  it('SVC-1 no raw HTML passes through markdown-it: tags are shown as text, javascript: links are refused', () => {
    const article = parseArticle(
      '---\ntitle: Essai\ntheme: aide\nkeywords: x\n---\nBonjour <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n<iframe src="https://evil.example"></iframe>\n\n[clic](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=)\n',
      'qui-peut-m-aider',
      'fr',
    );
    assert.doesNotMatch(article.html, /<script|<img|<iframe|href="javascript:|href="data:/);
    assert.match(article.html, /&lt;script&gt;/);
    assert.equal(markdown.options.html, false);
    // And no article has any tag but markdown's own.
    for (const locale of ['fr', 'en'] as const)
      for (const a of allArticles(locale))
        for (const [, tag] of a.html.matchAll(/<\/?([a-z0-9]+)/g)) assert.ok(['p', 'a', 'strong', 'em', 'ul', 'ol', 'li', 'h2', 'h3'].includes(tag), `${locale}/${a.slug}: <${tag}>`);
  });

  it('SVC-1 a front matter without title or with an unknown theme is refused with the file’s name', () => {
    assert.throws(() => parseArticle('no front matter', 'payer', 'fr'), /fr\/payer\.md: no front matter/);
    assert.throws(() => parseArticle('---\ntitle: Payer\ntheme: inconnu\n---\nx', 'payer', 'en'), /en\/payer\.md: theme/);
  });

  it('SVC-1 the help line is filled in from the settings, escaped', () => {
    const html = fillHelpLine('<p>Appelez le {{phone}}, {{hours}}.</p>', translator('fr'), { phone: '01 42 76 40 40', hours: { fromDay: 1, toDay: 6, opens: '09:00', closes: '17:30' } });
    assert.equal(html, '<p>Appelez le <a href="tel:0142764040">01 42 76 40 40</a>, du lundi au samedi, de 9 h à 17 h 30.</p>');
  });

  it('SVC-1 helpLink gives the article’s address and its title in the reader’s language', () => {
    assert.deepEqual(helpLink(translator('fr'), 'demi-tarif'), { href: '/aide/demi-tarif', text: 'Aide : Qui peut payer demi-tarif ?' });
    assert.deepEqual(helpLink(translator('en'), 'demi-tarif'), { href: '/aide/demi-tarif', text: 'Help: Who can pay the half rate?' });
  });
});

describe('SVC-1 help search', () => {
  it('SVC-1 finds the half rate for « demi tarif », « demi-tarif », « DÉMI TARIF » and "half rate"', () => {
    for (const q of ['demi tarif', 'demi-tarif', 'DÉMI TARIF', 'Demi-Tarif RSA']) assert.equal(slugsOf(q)[0], 'demi-tarif', q);
    assert.equal(slugsOf('half rate', 'en')[0], 'demi-tarif');
  });

  it('SVC-1 finds the refund article for « remboursement », « rembourser », a word cut short and "refund"', () => {
    for (const q of ['remboursement', 'rembourser', 'rembourse', 'je veux être remboursé']) assert.equal(slugsOf(q)[0], 'remboursement', q);
    assert.equal(slugsOf('refund', 'en')[0], 'remboursement');
  });

  it('SVC-1 accents and case do not matter, in either direction', () => {
    assert.deepEqual(slugsOf('assiduite'), slugsOf('ASSIDUITÉ'));
    assert.equal(slugsOf('liste d’attente')[0], 'liste-d-attente');
    assert.equal(slugsOf('waiting list', 'en')[0], 'liste-d-attente');
    assert.equal(slugsOf('carte perdue')[0], 'carte-d-auditeur');
  });

  it('SVC-1 an empty, odd or huge search finds nothing and never throws', () => {
    assert.deepEqual(slugsOf(''), []);
    assert.deepEqual(slugsOf('   '), []);
    assert.deepEqual(slugsOf('zzzzqqq'), []);
    assert.doesNotThrow(() => searchHelp('fr', 'demi '.repeat(50_000)));
    assert.doesNotThrow(() => searchHelp('fr', '\u0000*?()[]{}\\'));
  });

  it('SVC-1 the search box keeps what was typed: control characters out, too long is a message', () => {
    assert.deepEqual(readHelpQuery({ q: 'demi\u0000tarif' }), { form: { values: { q: 'demi tarif' }, errors: {} }, q: 'demi tarif' });
    assert.equal(readHelpQuery({ q: ['payer', 'chèque'] }).q, 'payer', 'a repeated q: the first');
    assert.equal(readHelpQuery({}).q, undefined);
    assert.equal(readHelpQuery({ q: '   ' }).q, undefined);
    const long = readHelpQuery({ q: 'x'.repeat(HELP_QUERY_MAX + 1) });
    assert.equal(long.q, undefined);
    assert.equal(long.form.values.q, 'x'.repeat(HELP_QUERY_MAX + 1));
    assert.deepEqual(long.form.errors.q, { message: 'help.search.tooLong', params: { max: HELP_QUERY_MAX } });
  });
});
