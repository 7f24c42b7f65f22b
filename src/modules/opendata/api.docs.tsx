import type { PageContext } from '../../ui/context';
import { Layout } from '../../ui/Layout';
import type { OpenApiDocument } from './api.openapi';
import { problemTypes } from './api.schema';

/**
 * SVC-8: the API's reference page, drawn on the server from the OpenAPI document itself (no
 * script, no CDN: it works under the site's CSP), in the site's layout.
 */

type Json = Record<string, unknown>;

const refName = (ref: unknown) => (typeof ref === 'string' ? ref.split('/').at(-1)! : '');

/** A JSON Schema in a few words: "string (date)", "integer 1–20 | null", a link to an object. */
function TypeOf(props: { schema: Json }) {
  const s = props.schema;
  if (typeof s.$ref === 'string') return <a href={`#schema-${refName(s.$ref)}`}>{refName(s.$ref)}</a>;
  const variants = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  if (variants)
    return (
      <>
        {variants.map((v, i) => (
          <>
            {i > 0 ? ' | ' : ''}
            <TypeOf schema={v} />
          </>
        ))}
      </>
    );
  if (Array.isArray(s.enum)) return <code>{(s.enum as unknown[]).map(String).join(' | ')}</code>;
  if (s.type === 'array') return <>array of <TypeOf schema={(s.items ?? {}) as Json} /></>;
  const types = ([] as unknown[]).concat(s.type ?? 'any').map(String);
  const bounds = typeof s.minimum === 'number' && typeof s.maximum === 'number' && s.maximum < 1e9 ? ` ${s.minimum}–${s.maximum}` : '';
  const format = typeof s.format === 'string' ? ` (${s.format})` : '';
  const pattern = typeof s.pattern === 'string' && !s.format ? (
    <>
      {' '}
      <code>{s.pattern}</code>
    </>
  ) : null;
  return (
    <>
      {types.join(' | ')}
      {format}
      {bounds}
      {pattern}
    </>
  );
}

export function ApiDocsPage(props: { ctx: PageContext; doc: OpenApiDocument; limit: number }) {
  const { ctx, doc } = props;
  const t = ctx.t;
  const base = doc.servers[0].url;
  return (
    <Layout ctx={ctx} title={t('api.docs.title')}>
      <h1>{t('api.docs.title')}</h1>
      <p>{t('api.docs.intro')}</p>
      <p>
        <a href={`${base}/openapi.json`}>{t('api.docs.document')}</a> ({doc.info.title} {doc.info.version}, OpenAPI {doc.openapi})
      </p>
      <h2>{t('api.docs.basics')}</h2>
      <ul>
        <li>{t('api.docs.pagination')}</li>
        <li>{t('api.docs.caching')}</li>
        <li>{t('api.docs.limits', { max: props.limit })}</li>
        <li>{t('api.docs.errors')}</li>
        <li>{t('api.docs.versioning')}</li>
      </ul>
      <p>{t('api.docs.example')}</p>
      <pre>
        <code>{`curl -H 'Accept-Language: fr' '${base}/sessions?q=anglais&arrondissement=11&times=evening&open=true&limit=10'`}</code>
      </pre>
      <p lang="en">{doc.info.description}</p>
      <p>{t('api.docs.language')}</p>

      <h2>{t('api.docs.endpoints')}</h2>
      {Object.entries(doc.paths).map(([path, item]) => {
        const op = (item as { get: Json }).get;
        const params = op.parameters as { name: string; in: string; description?: string; schema: Json }[];
        const answer = ((op.responses as Json)['200'] as { content: { 'application/json': { schema: Json } } }).content['application/json'].schema;
        return (
          <section id={String(op.operationId)} lang="en">
            <h3>
              <code>GET {base + path}</code>
            </h3>
            <p>
              <strong>{String(op.summary)}.</strong> {String(op.description)}
            </p>
            {params.length ? (
              <div class="table-scroll">
                <table class="table">
                  <caption>{t('api.docs.parameters')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('api.docs.col.name')}</th>
                      <th scope="col">{t('api.docs.col.where')}</th>
                      <th scope="col">{t('api.docs.col.values')}</th>
                      <th scope="col">{t('api.docs.col.description')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {params.map((p) => (
                      <tr>
                        <th scope="row">
                          <code>{p.name}</code>
                        </th>
                        <td>{p.in}</td>
                        <td>
                          <TypeOf schema={p.schema} />
                        </td>
                        <td>{p.description ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p>{t('api.docs.noParameters')}</p>
            )}
            <p>
              {t('api.docs.answer', { schema: '' })}
              <TypeOf schema={answer} />
            </p>
          </section>
        );
      })}

      <h2>{t('api.docs.schemas')}</h2>
      {Object.entries(doc.components.schemas).map(([name, schema]) => {
        const s = schema as Json;
        const properties = (s.properties ?? {}) as Record<string, Json>;
        const required = new Set((s.required ?? []) as string[]);
        return (
          <section id={`schema-${name}`} lang="en">
            <h3>{name}</h3>
            {typeof s.description === 'string' ? <p>{s.description}</p> : null}
            <div class="table-scroll">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">{t('api.docs.col.field')}</th>
                    <th scope="col">{t('api.docs.col.type')}</th>
                    <th scope="col">{t('api.docs.col.description')}</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(properties).map(([field, p]) => (
                    <tr>
                      <th scope="row">
                        <code>{field}</code>
                      </th>
                      <td>
                        <TypeOf schema={p} />
                        {required.has(field) ? null : ' (optional)'}
                      </td>
                      <td>{typeof p.description === 'string' ? p.description : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        );
      })}

      <h2>{t('api.docs.problems')}</h2>
      <dl>
        {problemTypes.map((type) => (
          <>
            <dt id={`problem-${type}`}>
              <code>{type}</code>
            </dt>
            <dd>{t(`api.problem.${type}.title`)}</dd>
          </>
        ))}
      </dl>
    </Layout>
  );
}
