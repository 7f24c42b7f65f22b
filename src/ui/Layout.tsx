import type { ComponentChildren } from 'preact';
import { assetUrl, inlineStyle } from '../platform/assets';
import type { PageContext } from './context';
import { defaultHelpLine, helpLineHours, telHref } from './help-line';

/** Every page: language, skip link, header with navigation and language switch, main, footer. */
export function Layout(props: { ctx: PageContext; title: string; children: ComponentChildren; flash?: string }) {
  const { ctx } = props;
  const t = ctx.t;
  const other = ctx.locale === 'fr' ? 'en' : 'fr';
  const staff = ctx.user && ctx.user.role !== 'learner';
  const helpLine = ctx.helpLine ?? defaultHelpLine;
  return (
    <html lang={ctx.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} – ${t('service.name')}`}</title>
        <link rel="icon" href="data:," />
        {/* Issue 19 point 8: the stylesheet is in the page, not a second round trip before the first paint (bench/lcp.ts). */}
        <style dangerouslySetInnerHTML={{ __html: inlineStyle('app.css') }} />
        <script type="module" src={assetUrl('app.js')} />
      </head>
      <body>
        <a class="skip-link" href="#contenu">
          {t('layout.skip')}
        </a>
        <header class="site-header">
          <div class="container header-inner">
            <a class="brand" href="/">
              <span class="brand-name">{t('service.name')}</span>
              <span class="brand-tagline">{t('service.tagline')}</span>
            </a>
            <nav aria-label={t('layout.nav')}>
              <ul class="nav-list">
                <li>
                  <a href="/" aria-current={ctx.path === '/' ? 'page' : undefined}>
                    {t('layout.home')}
                  </a>
                </li>
                <li>
                  <a href="/recherche" aria-current={ctx.path === '/recherche' ? 'page' : undefined}>
                    {t('layout.search')}
                  </a>
                </li>
                {ctx.user ? (
                  <>
                    {ctx.user.role === 'learner' ? (
                      <li>
                        <a href="/candidatures" aria-current={ctx.path === '/candidatures' ? 'page' : undefined}>
                          {t('apps.nav')}
                        </a>
                      </li>
                    ) : null}
                    <li>
                      <a href={staff ? '/personnel' : '/compte'}>{t(staff ? 'layout.staff' : 'layout.account')}</a>
                    </li>
                    <li>
                      <form method="post" action="/deconnexion" class="inline-form">
                        <input type="hidden" name="_csrf" value={ctx.csrfToken()} />
                        <button type="submit" class="link-button">
                          {t('layout.logout')}
                        </button>
                      </form>
                    </li>
                  </>
                ) : (
                  <>
                    <li>
                      <a href="/connexion" aria-current={ctx.path === '/connexion' ? 'page' : undefined}>
                        {t('layout.login')}
                      </a>
                    </li>
                    <li>
                      <a href="/inscription" aria-current={ctx.path === '/inscription' ? 'page' : undefined}>
                        {t('layout.signup')}
                      </a>
                    </li>
                  </>
                )}
                <li>
                  <a href={`/langue/${other}?retour=${encodeURIComponent(ctx.path)}`} hreflang={other} lang={other}>
                    <span aria-hidden="true">{t('layout.switchLanguage')}</span>
                    <span class="visually-hidden">{t('layout.switchLanguageLabel')}</span>
                  </a>
                </li>
              </ul>
            </nav>
          </div>
        </header>
        <main id="contenu" tabindex={-1} class="container">
          {props.flash ? (
            <div class="notice notice-success" role="status">
              {props.flash}
            </div>
          ) : null}
          {props.children}
        </main>
        <footer class="site-footer">
          <div class="container">
            {/* SVC-1: the help line and its hours, the help pages and the contact form, on every page. */}
            <p>
              {t('layout.helpLine.call')} <a href={telHref(helpLine.phone)}>{helpLine.phone}</a> ({helpLineHours(t, helpLine)}).
            </p>
            <nav aria-label={t('layout.footerNav')}>
              <ul class="footer-links">
                <li>
                  <a href="/aide" aria-current={ctx.path === '/aide' ? 'page' : undefined}>
                    {t('layout.helpPages')}
                  </a>
                </li>
                <li>
                  <a href="/contact" aria-current={ctx.path === '/contact' ? 'page' : undefined}>
                    {t('layout.contact')}
                  </a>
                </li>
                {/* SVC-8: the catalogue as open data. */}
                <li>
                  <a href="/donnees-ouvertes" aria-current={ctx.path === '/donnees-ouvertes' ? 'page' : undefined}>
                    {t('layout.openData')}
                  </a>
                </li>
              </ul>
            </nav>
            {ctx.devTools ? (
              <p>
                <a href="/dev/courriels">{t('layout.mailbox')}</a>
              </p>
            ) : null}
          </div>
        </footer>
      </body>
    </html>
  );
}
