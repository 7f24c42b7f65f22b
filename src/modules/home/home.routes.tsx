import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../app';
import { pageContext, sendPage } from '../../platform/http';
import type { PageContext } from '../../ui/context';
import { Layout } from '../../ui/Layout';

function HomePage(props: { ctx: PageContext }) {
  const { ctx } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('home.title')}>
      <h1>{t('home.title')}</h1>
      <p class="lead">{t('home.intro')}</p>
      <h2>{t('home.steps')}</h2>
      <ol class="steps">
        <li>{t('home.step1')}</li>
        <li>{t('home.step2')}</li>
        <li>{t('home.step3')}</li>
        <li>{t('home.step4')}</li>
      </ol>
      {ctx.user ? null : (
        <p class="actions">
          <a class="button" href="/inscription">
            {t('home.ctaSignup')}
          </a>
          <a class="button button-secondary" href="/connexion">
            {t('home.ctaLogin')}
          </a>
        </p>
      )}
    </Layout>
  );
}

export function homeRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/', async (request, reply) => sendPage(reply, <HomePage ctx={pageContext(request, reply, deps.devTools)} />));
  };
}
