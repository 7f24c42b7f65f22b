import type { PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import type { FalcDocument } from '../falc.rules';

/**
 * SVC-7: the convocation in easy-to-read words: left-aligned, one sentence a paragraph, the date,
 * the place and what to bring each on a line of its own in large type (`.falc-large`, 1.75 rem).
 */
export function EasyReadPage(props: { ctx: PageContext; doc: FalcDocument; base: string; cancelled: boolean }) {
  const { ctx, doc } = props;
  const t = ctx.t;
  const colon = t.locale === 'fr' ? ' :' : ':';
  return (
    <Layout ctx={ctx} title={`${doc.title} — ${t('sel.falc.pageTitle')}`}>
      <div class="falc">
        <h1>{doc.title}</h1>
        {doc.blocks.map((block, i) =>
          'text' in block ? (
            <p key={i}>{block.text}</p>
          ) : (
            <div key={i} class={block.large ? 'falc-line falc-large' : 'falc-line'}>
              <span class="falc-label">
                {block.label}
                {colon}
              </span>
              {Array.isArray(block.value) ? (
                <ul>
                  {block.value.map((v) => (
                    <li key={v}>{v}</li>
                  ))}
                </ul>
              ) : (
                <span>{block.value}</span>
              )}
            </div>
          ),
        )}
        <ul class="falc-links">
          {props.cancelled ? null : (
            <li>
              <a href={`${props.base}/agenda.ics`}>{t('sel.falc.calendar')}</a>
            </li>
          )}
          <li>
            <a href={`${props.base}/facile.pdf`}>{t('sel.falc.pdf')}</a>
          </li>
          <li>
            <a href="/candidatures">{t('sel.falc.full')}</a>
          </li>
        </ul>
      </div>
    </Layout>
  );
}
