import type { MessageKey } from '../../../platform/i18n';
import { Checkbox, Csrf, ErrorSummary, Select, SubmitButton } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import type { PreferencesPage } from '../responder.service';

const k = (key: string) => key as MessageKey;
export const positionField = (applicationId: string) => `rang-${applicationId}`;

/**
 * SEL-13: the learner orders their applications and turns the responder on or off. Every control
 * works without JavaScript: the ranks are selects of one form (saved whole, with the version it
 * was made from), and each "up"/"down" button belongs to a second form (`form="deplacer"`), so
 * Enter in the first still saves it. What the responder will do is said before the form.
 */
export function PreferencesPageView(props: { ctx: PageContext; page: PreferencesPage; form?: FormState; notice?: MessageKey; flash?: MessageKey; status?: number }) {
  const { ctx, page } = props;
  const t = ctx.t;
  const form: FormState = props.form ?? {
    values: {
      ...Object.fromEntries(page.items.map((i) => [positionField(i.application.id), i.position === null ? '' : String(i.position)])),
      repondeur: page.on ? 'on' : undefined,
    },
    errors: {},
  };
  const count = page.items.length;
  const options = [{ value: '', label: t('sel.responder.notInList') }, ...page.items.map((_, n) => ({ value: String(n + 1), label: t('sel.responder.rank', { n: n + 1 }) }))];
  const labels = Object.fromEntries(page.items.map((i) => [positionField(i.application.id), t('sel.responder.position', { title: i.session.title })]));
  const listed = page.items.filter((i) => i.position !== null);
  return (
    <Layout ctx={ctx} title={t('sel.responder.title')} flash={props.flash ? t(props.flash) : undefined}>
      <p>
        <a href="/candidatures">{t('apps.title')}</a>
      </p>
      <h1>{t('sel.responder.title')}</h1>
      {props.notice ? (
        <div class="notice notice-warning" role="alert">
          {t(props.notice)}
        </div>
      ) : null}
      <p>{t('sel.responder.intro')}</p>
      <section aria-labelledby="responder-what">
        <h2 id="responder-what">{t('sel.responder.what.title')}</h2>
        <ul>
          {(['accept', 'giveUp', 'above', 'lower', 'equivalent', 'notListed', 'told'] as const).map((line) => (
            <li>{t(k(`sel.responder.what.${line}`))}</li>
          ))}
        </ul>
      </section>
      {count < 2 ? (
        <p>{t('sel.responder.none')}</p>
      ) : (
        <>
          <ErrorSummary t={t} form={form} labels={labels} />
          <form method="post" action="/candidatures/preferences" id="preferences" novalidate>
            <Csrf ctx={ctx} />
            <input type="hidden" name="version" value={String(page.version)} />
            <fieldset>
              <legend>{t('sel.responder.list')}</legend>
              <ol class="preferences">
                {page.items.map((item) => (
                  <li id={`preference-${item.application.id}`}>
                    <p>
                      <strong>{item.session.title}</strong> —{' '}
                      {t('sel.responder.session', { school: item.session.schoolName, status: t(k(`apps.status.${item.application.status}`)) })}
                    </p>
                    <Select t={t} form={form} name={positionField(item.application.id)} label={labels[positionField(item.application.id)]} options={options} />
                    {item.position !== null ? (
                      <div class="actions">
                        {item.position > 1 ? (
                          <button type="submit" form="deplacer" name="deplacer" value={`${item.application.id}:up`} class="button button-secondary" aria-label={t('sel.responder.up', { title: item.session.title })}>
                            {t('sel.responder.upShort')}
                          </button>
                        ) : null}
                        {item.position < listed.length ? (
                          <button type="submit" form="deplacer" name="deplacer" value={`${item.application.id}:down`} class="button button-secondary" aria-label={t('sel.responder.down', { title: item.session.title })}>
                            {t('sel.responder.downShort')}
                          </button>
                        ) : null}
                      </div>
                    ) : null}
                  </li>
                ))}
              </ol>
            </fieldset>
            <Checkbox t={t} form={form} name="repondeur" label={t('sel.responder.on')} />
            <SubmitButton>{t('sel.responder.save')}</SubmitButton>
          </form>
          <form method="post" action="/candidatures/preferences/deplacer" id="deplacer">
            <Csrf ctx={ctx} />
            <input type="hidden" name="version" value={String(page.version)} />
          </form>
        </>
      )}
    </Layout>
  );
}
