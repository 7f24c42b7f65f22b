import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import '../../messages';
import { translator, type Locale } from '../../platform/i18n';
import { renderMarkup } from '../../../test/pages';
import type { PageContext } from '../../ui/context';
import { defaultHelpLine } from '../../ui/help-line';
import { profiles, type Profile } from '../../domain/profile';
import { allArticles, articlesByTheme, findArticle, getArticle, helpSlugs, helpThemes, markdown, parseArticle } from './help.articles';
import { fillHelpLine, readHelpQuery } from './help.routes';
import { HELP_QUERY_MAX, searchHelp } from './help.search';
import { helpLink } from './views/help-link';
import { HelpArticlePage, HelpHomePage } from './views/help';
import { emptyForm } from '../../ui/context';

const ctxOf = (locale: Locale): PageContext => ({ t: translator(locale), locale, path: '/aide', requestId: 'r1', csrfToken: () => 'csrf', devTools: false });
const slugsOf = (query: string, locale: Locale = 'fr', profile: Profile = 'municipal') => searchHelp(locale, query, profile).map((a) => a.slug);

describe('SVC-1 help articles', () => {
  it('SVC-1 SVC-4 every article exists in French and English, under the same slug and theme', () => {
    for (const locale of ['fr', 'en'] as const) {
      const files = readdirSync(join(import.meta.dirname, 'content', locale)).map((f) => f.replace(/\.md$/, ''));
      assert.deepEqual(files.sort(), [...helpSlugs].sort(), `${locale}: one file per slug, no other`);
    }
    for (const slug of helpSlugs) assert.equal(getArticle('fr', slug).theme, getArticle('en', slug).theme, slug);
    for (const profile of profiles) assert.ok(helpThemes.every((theme) => articlesByTheme('fr', profile).find((g) => g.theme === theme)!.articles.length > 0), `every theme has articles (${profile})`);
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
    for (const profile of profiles) {
      const home = renderMarkup(<HelpHomePage ctx={ctxOf('fr')} form={emptyForm()} themes={articlesByTheme('fr', profile)} />);
      for (const article of allArticles('fr', profile)) assert.ok(home.includes(`href="/aide/${article.slug}"`), `the ${profile} help page lists ${article.slug}`);
    }
  });

  it('issue 18 the help of each profile: the credits units’ articles (exams, moving, connection hours) are in the credits help only, found, listed and shown there', () => {
    const creditsOnly = helpSlugs.filter((slug) => !getArticle('fr', slug).profiles.includes('municipal'));
    assert.deepEqual(creditsOnly, ['heures-de-connexion', 'examens', 'demenagement']);
    for (const locale of ['fr', 'en'] as const) {
      for (const slug of creditsOnly) {
        assert.equal(findArticle(locale, slug, 'municipal'), undefined, `${locale}/${slug} is not shown in the municipal help`);
        assert.equal(findArticle(locale, slug, 'credits')?.slug, slug);
        assert.equal(getArticle(locale, slug).profiles.join(), getArticle(locale === 'fr' ? 'en' : 'fr', slug).profiles.join(), `${slug}: the same profiles in both languages`);
      }
      const listed = (profile: Profile) => articlesByTheme(locale, profile).flatMap((g) => g.articles.map((a) => a.slug));
      assert.ok(creditsOnly.every((slug) => listed('credits').includes(slug) && !listed('municipal').includes(slug)));
      assert.equal(listed('municipal').length + creditsOnly.length, helpSlugs.length, 'every other article is in both');
    }
    assert.ok(slugsOf('examen', 'fr', 'credits').includes('examens'));
    assert.ok(!slugsOf('examen', 'fr', 'municipal').includes('examens'), 'a search of the municipal help does not find it');
    assert.ok(!slugsOf('déménager', 'fr', 'municipal').includes('demenagement'));
    // A front matter naming another profile stops the start, as a missing title does.
    assert.throws(() => parseArticle('---\ntitle: Essai\ntheme: aide\nprofiles: credits, university\n---\nTexte.\n', 'examens', 'fr'), /profiles must be among municipal, credits \(university\)/);
  });

  it('SVC-1 an article’s links lead to this site: help links to existing articles, others to a path', () => {
    for (const locale of ['fr', 'en'] as const)
      for (const article of allArticles(locale))
        for (const [, href] of article.html.matchAll(/href="([^"]*)"/g)) {
          assert.match(href, /^\/(?!\/)/, `${locale}/${article.slug}: ${href} is a path of this site`);
          const help = /^\/aide\/([^/?#]+)/.exec(href);
          // In the help of every profile the article is for: a link never leads to the other profile's 404.
          if (help) for (const profile of article.profiles) assert.ok(findArticle(locale, help[1], profile), `${locale}/${article.slug}: ${href} is an article of the ${profile} help`);
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
    assert.doesNotThrow(() => searchHelp('fr', 'demi '.repeat(50_000), 'municipal'));
    assert.doesNotThrow(() => searchHelp('fr', '\u0000*?()[]{}\\', 'municipal'));
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
