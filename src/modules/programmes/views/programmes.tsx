import type { MessageKey } from '../../../platform/i18n';
import { Csrf, ErrorSummary, Select, SubmitButton, TextArea, TextField } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { choiceNumbers } from '../programmes.schema';
import type { learnerProgrammes, Programme, ProgrammeProgressView } from '../programmes.service';
import { programmeKinds } from '../programmes.table';

type LearnerPage = Awaited<ReturnType<typeof learnerProgrammes>>;
const kindLabel = (kind: Programme['kind']) => `prog.kind.${kind}` as MessageKey;

function UnitLine(props: { ctx: PageContext; code: string; view: ProgrammeProgressView }) {
  const unit = props.view.units.get(props.code);
  const { t } = props.ctx;
  return (
    <li>
      <a href={`/formations/${encodeURIComponent(props.code)}`}>{unit ? t('prog.learner.unit', { code: unit.code, title: unit.title, credits: unit.credits }) : props.code}</a>
    </li>
  );
}

/** CRED-1: one programme followed: credits earned over required, what is left, what the next semester offers. */
function ProgressSection(props: { ctx: PageContext; view: ProgrammeProgressView }) {
  const { ctx, view } = props;
  const { t } = ctx;
  const { programme, progress } = view;
  const id = `cursus-${programme.code}`;
  const counted = progress.lists.flatMap((l) => l.counted);
  return (
    <section class="application" aria-labelledby={id}>
      <h3 id={id}>
        {t(kindLabel(programme.kind))} – {programme.title}
      </h3>
      <p>
        <label for={`${id}-credits`}>{t('prog.learner.creditsLabel')}</label>{' '}
        <progress id={`${id}-credits`} max={progress.creditsRequired} value={Math.min(progress.creditsEarned, progress.creditsRequired)}>
          {t('prog.learner.credits', { earned: progress.creditsEarned, required: progress.creditsRequired })}
        </progress>{' '}
        <strong>{t('prog.learner.credits', { earned: progress.creditsEarned, required: progress.creditsRequired })}</strong>
      </p>
      {progress.complete ? <p class="notice notice-success">{t('prog.learner.complete')}</p> : null}
      <p>
        <a href={`/compte/cursus/${encodeURIComponent(programme.code)}/diplome`}>{t('dipl.learner.link')}</a>
      </p>
      <h4>{t('prog.learner.mandatoryLeft')}</h4>
      {progress.mandatoryLeft.length ? (
        <ul>
          {progress.mandatoryLeft.map((code) => (
            <UnitLine ctx={ctx} code={code} view={view} />
          ))}
        </ul>
      ) : (
        <p>{t('prog.learner.mandatoryDone')}</p>
      )}
      {progress.lists.some((l) => l.choose !== null) ? (
        progress.choicesLeft.length ? (
          progress.choicesLeft.map((list) => (
            <>
              <p>{t('prog.learner.choiceLeft', { left: list.left })}</p>
              <ul>
                {list.candidates.map((code) => (
                  <UnitLine ctx={ctx} code={code} view={view} />
                ))}
              </ul>
            </>
          ))
        ) : (
          <p>{t('prog.learner.choicesDone')}</p>
        )
      ) : null}
      <h4>{t('prog.learner.earned')}</h4>
      {counted.length ? (
        <ul>
          {counted.map((code) => (
            <UnitLine ctx={ctx} code={code} view={view} />
          ))}
        </ul>
      ) : (
        <p>{t('prog.learner.earnedNone')}</p>
      )}
      {progress.complete ? null : (
        <>
          <h4>{t('prog.learner.next', { date: t.date(view.next.startsOn) })}</h4>
          {view.next.offers.length ? (
            <ul>
              {view.next.offers.map((offer) => (
                <li>
                  <a href={`/formations/${encodeURIComponent(offer.unit.code)}`}>{t('prog.learner.unit', { code: offer.unit.code, title: offer.unit.title, credits: offer.unit.credits })}</a>
                  {' – '}
                  {offer.sessions.length ? t('prog.learner.nextSessions', { sessions: offer.sessions.map((s) => `${s.code} (${s.schoolName})`).join(', ') }) : t('prog.learner.nextNoSession')}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('prog.learner.nextNone')}</p>
          )}
        </>
      )}
    </section>
  );
}

/** CRED-1: the learner's programmes: progress toward those they follow, and the others to follow. */
export function LearnerProgrammesPage(props: { ctx: PageContext; page: LearnerPage; flash?: string }) {
  const { ctx, page } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('prog.learner.title')} flash={props.flash}>
      <p>
        <a href="/compte">{t('layout.account')}</a>
      </p>
      <h1>{t('prog.learner.title')}</h1>
      <p>{t('prog.learner.intro')}</p>
      <p class="hint">{t('prog.learner.advice')}</p>
      <h2>{t('dipl.learner.documents')}</h2>
      {page.record.length ? (
        <ul>
          <li>
            <a href="/compte/cursus/releve.pdf">{t('dipl.learner.transcript')}</a>
          </li>
          {page.record.map((line) => (
            <li>
              <a href={`/compte/cursus/unites/${encodeURIComponent(line.code)}/attestation.pdf`}>{t('dipl.learner.attestation', { code: `${line.code} – ${line.title}` })}</a>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('dipl.learner.noDocuments')}</p>
      )}
      <h2>{t('prog.learner.followed')}</h2>
      {page.followed.length ? page.followed.map((view) => <ProgressSection ctx={ctx} view={view} />) : <p>{t('prog.learner.none')}</p>}
      {page.others.length ? (
        <>
          <h2>{t('prog.learner.others')}</h2>
          <ul class="applications">
            {page.others.map((p) => (
              <li class="application">
                <h3>
                  {t(kindLabel(p.kind))} – {p.title}
                </h3>
                <p>{t('prog.learner.requires', { credits: p.rule.requiredCredits })}</p>
                <form method="post" action={`/compte/cursus/${encodeURIComponent(p.code)}/suivre`}>
                  <Csrf ctx={ctx} />
                  <SubmitButton>{t('prog.learner.follow')}</SubmitButton>
                </form>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  );
}

/** CRED-1: the administrator's list of programmes. */
export function AdminProgrammesPage(props: { ctx: PageContext; programmes: Programme[]; flash?: string }) {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('prog.admin.title')} flash={props.flash}>
      <p>
        <a href="/personnel/admin">{t('admin.title')}</a>
      </p>
      <h1>{t('prog.admin.title')}</h1>
      <p>{t('prog.admin.intro')}</p>
      <p>
        <a href="/personnel/diplomes">{t('dipl.staff.link')}</a>
      </p>
      <p>
        <a class="button" href="/personnel/admin/cursus/nouveau">
          {t('prog.admin.new')}
        </a>
      </p>
      {props.programmes.length ? (
        <ul class="links-compact">
          {props.programmes.map((p) => (
            <li>
              <a href={`/personnel/admin/cursus/${encodeURIComponent(p.code)}`}>
                {p.code} — {t(kindLabel(p.kind))} – {p.title} ({t('prog.learner.requires', { credits: p.rule.requiredCredits })})
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('prog.admin.none')}</p>
      )}
    </Layout>
  );
}

/** The form's labels, for the fields and the error summary. */
export function programmeLabels(t: PageContext['t']): Record<string, string> {
  return {
    code: t('prog.field.code'),
    title: t('prog.field.title'),
    kind: t('prog.field.kind'),
    required_credits: t('prog.field.required_credits'),
    mandatory: t('prog.field.mandatory'),
    ...Object.fromEntries(choiceNumbers.flatMap((n) => [[`choose_${n}`, t('prog.field.choose', { n })], [`units_${n}`, t('prog.field.units', { n })]])),
  };
}

/** CRED-1: one programme's form; the problems of its rule next to their fields. */
export function ProgrammeFormPage(props: { ctx: PageContext; form: FormState; creating: boolean }) {
  const { ctx, form, creating } = props;
  const { t } = ctx;
  const labels = programmeLabels(t);
  const title = creating ? t('prog.admin.titleNew') : t('prog.admin.titleEdit', { code: form.values.code ?? '' });
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href="/personnel/admin/cursus">{t('prog.admin.title')}</a>
      </p>
      <h1>{title}</h1>
      <ErrorSummary t={t} form={form} labels={labels} />
      <form method="post" action="/personnel/admin/cursus" novalidate>
        <Csrf ctx={ctx} />
        {creating ? <input type="hidden" name="nouveau" value="1" /> : <input type="hidden" name="code" value={form.values.code ?? ''} />}
        {creating ? <TextField t={t} form={form} name="code" label={labels.code} required /> : null}
        <TextField t={t} form={form} name="title" label={labels.title} required />
        <Select t={t} form={form} name="kind" label={labels.kind} options={programmeKinds.map((k) => ({ value: k, label: t(kindLabel(k)) }))} required />
        <TextField t={t} form={form} name="required_credits" label={labels.required_credits} required />
        <TextArea t={t} form={form} name="mandatory" label={labels.mandatory} hint={t('prog.hint.mandatory')} rows={2} />
        {choiceNumbers.map((n) => (
          <fieldset>
            <legend>{t('prog.field.list', { n })}</legend>
            <TextField t={t} form={form} name={`choose_${n}`} label={labels[`choose_${n}`]} />
            <TextArea t={t} form={form} name={`units_${n}`} label={labels[`units_${n}`]} hint={t('prog.hint.units')} rows={2} />
          </fieldset>
        ))}
        <SubmitButton>{t('prog.admin.save')}</SubmitButton>
      </form>
    </Layout>
  );
}
