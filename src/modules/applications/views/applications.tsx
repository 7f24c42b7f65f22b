import type { MessageKey } from '../../../platform/i18n';
import { Checkbox, Csrf, ErrorSummary, Notice, Radios, SubmitButton, TextArea } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { money, slotText } from '../../../ui/format';
import { inGroup, sectionOf, type Section } from '../lifecycle';
import { reasonKey } from '../reasons';
import type { ApplicationView } from '../applications.service';
import { objectives, offerAnswers, situations } from '../../../domain/vocabulary';
import { allowanceAnswers } from '../applications.schema';
import { ProofSummary } from './proofs';
import { HelpLink } from '../../help';
import { Explanation } from '../../../ui/explanation';
import { PreferenceLine, PreferencesLink } from './preferences';

const k = (key: string) => key as MessageKey;

/** An event of the history in words: the status, and why when the reason is one we can tell. */
function eventText(t: PageContext['t'], e: ApplicationView['events'][number]): string {
  const status = t(k(`apps.status.${e.toStatus}`));
  const reason = reasonKey(e.reason);
  const text = reason ? t('apps.event.reason', { status, reason: t(reason) }) : status;
  // SEL-7: a move to another course (an equivalent one, a level) says from which to which.
  const moved = e.details?.course ? t('apps.event.course', { event: text, from: e.details.course.from.title, to: e.details.course.to.title }) : text;
  // SVC-5: a change made with a counsellor at the help desk says so; SEL-13: one the responder made, too.
  if (e.details?.responder) return t('apps.event.responder', { status: moved });
  return e.details?.assisted ? t('apps.event.assisted', { status: moved }) : moved;
}
const sections: Section[] = ['awaiting_payment', 'preselected', 'processing', 'closed'];

function SessionLine(props: { ctx: PageContext; app: ApplicationView }) {
  const { t } = props.ctx;
  const s = props.app.session;
  return <p>{t('apps.session', { school: s.schoolName, slots: s.slots.map((slot) => slotText(t, slot)).join(' ; ') })}</p>;
}

function ApplicationItem(props: { ctx: PageContext; app: ApplicationView }) {
  const { ctx, app } = props;
  const t = ctx.t;
  return (
    <li class="application" id={`candidature-${app.id}`}>
      <h3>
        <a href={`/formations/${encodeURIComponent(app.session.courseCode)}`}>{app.session.title}</a>
      </h3>
      <SessionLine ctx={ctx} app={app} />
      <p>
        <strong>{t(k(`apps.status.${app.status}`))}</strong>
      </p>
      {app.assistedBy ? <p class="assisted">{t('apps.assisted')}</p> : null}
      {app.status === 'waiting_list' && app.waitingRank && !app.explanation?.waiting.length ? <p>{t('apps.waitingRank', { rank: app.waitingRank })}</p> : null}
      {app.explanation ? <DecisionExplained ctx={ctx} app={app} explanation={app.explanation} /> : null}
      {app.status === 'waiting_list' ? <HelpLink t={t} slug="liste-d-attente" /> : null}
      {/* SEL-2: the learner's own pseudonymous reference on the session's public selection page (the selection module's route). */}
      {app.drawReference && inGroup('validated', app.status) ? (
        <p class="draw-reference">
          {t('apps.drawReference', { reference: app.drawReference })} <a href={`/sessions/${encodeURIComponent(app.session.code)}/selection`}>{t('apps.drawPage')}</a>
        </p>
      ) : null}
      {app.status === 'refused' && app.refusalReason ? <p class="prewrap">{t('apps.refusedReason', { reason: app.refusalReason })}</p> : null}
      {app.convocation && app.status === 'convoked' ? (
        <p>
          {t('apps.convocation', { kind: t(k(`sel.kind.${app.convocation.kind}`)), date: t.date(app.convocation.at, 'datetime'), place: app.convocation.place })}{' '}
          <a href={`/candidatures/${app.id}/convocation.pdf`}>{t('apps.convocationPdf')}</a> · <a href={`/convocation/${app.convocation.token}/facile`}>{t('apps.convocationEasyRead')}</a>
        </p>
      ) : null}
      {app.convocation && app.status === 'convoked' ? <HelpLink t={t} slug="tests-et-entretiens" /> : null}
      {app.offer ? <OfferBox ctx={ctx} app={app} offer={app.offer} /> : null}
      <PreferenceLine ctx={ctx} app={app} />
      {app.payment?.status === 'due' ? (
        <p>{t('apps.payment.due', { amount: money(t, app.payment.amountCents), date: t.date(new Date(`${app.payment.dueOn}T12:00:00Z`), 'date') })}</p>
      ) : null}
      {inGroup('holdsPlace', app.status) ? (
        <p>
          <a class={app.actions.has('pay') ? 'button' : undefined} href={`/candidatures/${app.id}/paiement`}>
            {t(app.actions.has('pay') ? 'apps.payment.pay' : 'apps.payment.see')}
          </a>
        </p>
      ) : null}
      <ProofSummary ctx={ctx} app={app} />
      {app.status === 'preselected' && app.session.cancelledAt ? <p class="notice notice-warning">{t('apps.preselection.sessionCancelled')}</p> : null}
      {app.actions.has('edit') || app.actions.has('delete') ? (
        <div class="actions">
          {app.actions.has('edit') ? (
            <a class="button" href={`/candidatures/${app.id}/situation`}>
              {t('apps.confirm')}
            </a>
          ) : null}
          {app.actions.has('delete') ? (
            <form method="post" action={`/candidatures/${app.id}/supprimer`} class="inline-form">
              <Csrf ctx={ctx} />
              <button type="submit" class="button button-secondary">
                {t('apps.delete')}
              </button>
            </form>
          ) : null}
        </div>
      ) : null}
      {app.actions.has('cancel') ? (
        <p>
          {t('apps.cancelUntil', { date: t.date(app.session.period.applicationsCloseAt, 'datetime') })}{' '}
          <a href={`/candidatures/${app.id}/annuler`}>{t('apps.cancel')}</a>
        </p>
      ) : null}
      {app.actions.has('withdraw') ? (
        <p>
          <a href={`/candidatures/${app.id}/annuler`}>{t('apps.withdraw')}</a>
        </p>
      ) : null}
      <details>
        <summary>{t('apps.history')}</summary>
        <ul>
          {app.events.map((e) => (
            <li>{t('apps.event', { date: t.date(e.at, 'datetime'), status: eventText(t, e) })}</li>
          ))}
        </ul>
      </details>
    </li>
  );
}

/** SEL-11, SEL-12: where the learner stands on the waiting list now, and the decision in plain words. */
function DecisionExplained(props: { ctx: PageContext; app: ApplicationView; explanation: NonNullable<ApplicationView['explanation']> }) {
  const { ctx, app, explanation } = props;
  const t = ctx.t;
  const waitingId = `attente-${app.id}`;
  return (
    <>
      {explanation.waiting.length ? (
        <div class="waiting-standing" role="region" aria-labelledby={waitingId}>
          <h4 id={waitingId}>{t('sel.wait.title')}</h4>
          <Explanation t={t} lines={explanation.waiting} />
        </div>
      ) : null}
      {explanation.decision.length ? (
        <details class="decision-explained">
          <summary>{t('sel.why.title')}</summary>
          <Explanation t={t} lines={explanation.decision} />
        </details>
      ) : null}
    </>
  );
}

/** SEL-7, SEL-8: the place offered, its deadline, and the two answers. */
function OfferBox(props: { ctx: PageContext; app: ApplicationView; offer: NonNullable<ApplicationView['offer']> }) {
  const { ctx, app, offer } = props;
  const t = ctx.t;
  const deadline = t.date(offer.expiresAt, 'datetime');
  const titleId = `offre-${offer.id}`;
  return (
    <div class="notice notice-offer" role="region" aria-labelledby={titleId}>
      <h4 id={titleId}>{t('apps.offer.title')}</h4>
      <p>
        {offer.kind === 'waiting_list'
          ? t('apps.offer.own', { deadline })
          : // SEL-7: a session of an equivalent course (another course than the application's) names it, where and when.
            t(offer.session.courseId === app.courseId ? 'apps.offer.equivalent' : 'apps.offer.equivalentCourse', {
              deadline,
              title: offer.session.title,
              school: offer.session.schoolName,
              slots: offer.session.slots.map((slot) => slotText(t, slot)).join(' ; '),
              from: t.date(offer.session.firstMeeting),
              to: t.date(offer.session.lastMeeting),
            })}
      </p>
      <div class="actions">
        {offerAnswers.map((choice) => (
          <form method="post" action={`/candidatures/${app.id}/offre`} class="inline-form">
            <Csrf ctx={ctx} />
            <input type="hidden" name="offre" value={offer.id} />
            <input type="hidden" name="reponse" value={choice} />
            <button type="submit" class={choice === 'accept' ? 'button' : 'button button-secondary'}>
              {t(choice === 'accept' ? 'apps.offer.accept' : 'apps.offer.decline')}
            </button>
          </form>
        ))}
      </div>
    </div>
  );
}

/** APP-9: "my applications and payments", in four sections. */
export function ApplicationsPage(props: { ctx: PageContext; apps: ApplicationView[]; counting: number; max: number; flash?: MessageKey }) {
  const { ctx } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('apps.title')} flash={props.flash ? t(props.flash) : undefined}>
      <h1>{t('apps.title')}</h1>
      <p>{t('apps.cap', { count: props.counting, max: props.max })}</p>
      <PreferencesLink ctx={ctx} apps={props.apps} />
      {props.apps.length === 0 ? (
        <p>
          {t('apps.empty')} <a href="/recherche">{t('apps.search')}</a>
        </p>
      ) : null}
      {sections.map((section) => {
        const list = props.apps.filter((a) => sectionOf(a.status) === section);
        return (
          <section aria-labelledby={`section-${section}`}>
            <h2 id={`section-${section}`}>{t(k(`apps.section.${section}`))}</h2>
            {list.length === 0 ? <p>{t('apps.sectionEmpty')}</p> : null}
            <ul class="applications">
              {list.map((app) => (
                <ApplicationItem ctx={ctx} app={app} />
              ))}
            </ul>
          </section>
        );
      })}
    </Layout>
  );
}

export type Step = 'situation' | 'objectif' | 'motivations';

/** APP-4: one question per page, in plain words. */
export function StepPage(props: { ctx: PageContext; app: ApplicationView; step: Step; form: FormState; back: string; returnToCheck: boolean; proofMonths: number }) {
  const { ctx, app, step, form } = props;
  const t = ctx.t;
  const n = step === 'situation' ? 1 : step === 'objectif' ? 2 : 3;
  const label = step === 'situation' ? t('apps.situation') : step === 'objectif' ? t('apps.objective') : t('apps.motivations');
  const field = step === 'situation' ? 'situation' : step === 'objectif' ? 'objective' : 'motivations';
  const action = `/candidatures/${app.id}/${step}${props.returnToCheck ? '?retour=verification' : ''}`;
  return (
    <Layout ctx={ctx} title={`${label} – ${app.session.title}`}>
      <p>
        <a href={props.back}>{t('apps.back')}</a>
      </p>
      <p class="hint">
        {t('apps.step', { n })} — {app.session.title}
      </p>
      <ErrorSummary t={t} form={form} labels={{ [field]: label, ...(step === 'situation' ? { allowance: t('apps.allowance') } : {}) }} />
      <form method="post" action={action} novalidate>
        <Csrf ctx={ctx} />
        {step === 'situation' ? (
          <>
            <Radios t={t} form={form} name="situation" legend={label} options={situations.map((s) => ({ value: s, label: t(k(`apps.situation.${s}`)) }))} required />
            {/* PAY-6: which allowance, for the half rate; asked of welfare recipients (checked by the schema). */}
            <Radios
              t={t}
              form={form}
              name="allowance"
              legend={t('apps.allowance')}
              hint={t('apps.allowance.hint', { months: props.proofMonths })}
              options={allowanceAnswers.map((a) => ({ value: a, label: t(k(`apps.allowance.${a}`)) }))}
            />
            <HelpLink t={t} slug="demi-tarif" />
          </>
        ) : step === 'objectif' ? (
          <Radios t={t} form={form} name="objective" legend={label} options={objectives.map((o) => ({ value: o, label: t(k(`apps.objective.${o}`)) }))} required />
        ) : (
          <TextArea t={t} form={form} name="motivations" label={label} hint={t('apps.motivationsHint')} rows={8} required />
        )}
        <SubmitButton>{t('apps.continue')}</SubmitButton>
      </form>
    </Layout>
  );
}

/** APP-4: "check your answers", the school rules, and "validate". */
export function CheckPage(props: { ctx: PageContext; app: ApplicationView; form: FormState; refusal?: { message: MessageKey; params?: Record<string, string | number> } }) {
  const { ctx, app, form } = props;
  const t = ctx.t;
  const answers: [string, string, Step][] = [
    [
      t('apps.situation'),
      app.situation
        ? app.allowance
          ? t('apps.answer.withAllowance', { situation: t(k(`apps.situation.${app.situation}`)), allowance: t(k(`apps.allowance.${app.allowance}`)) })
          : t(k(`apps.situation.${app.situation}`))
        : '',
      'situation',
    ],
    [t('apps.objective'), app.objective ? t(k(`apps.objective.${app.objective}`)) : '', 'objectif'],
    [t('apps.motivations'), app.motivations ?? '', 'motivations'],
  ];
  return (
    <Layout ctx={ctx} title={t('apps.check')}>
      <h1>{t('apps.check')}</h1>
      {props.refusal ? (
        <div class="notice notice-warning" role="alert">
          {t(props.refusal.message, props.refusal.params)}
        </div>
      ) : null}
      <ErrorSummary t={t} form={form} labels={{ rules: t('apps.rules') }} />
      <p>{t('apps.checkIntro')}</p>
      <h2>{app.session.title}</h2>
      <SessionLine ctx={ctx} app={app} />
      <dl class="summary check-answers">
        {answers.map(([question, answer, step]) => (
          <>
            <dt>{question}</dt>
            <dd>
              <span class="answer">{answer}</span>{' '}
              <a href={`/candidatures/${app.id}/${step}?retour=verification`}>
                {t('apps.change')}
                <span class="visually-hidden"> : {question}</span>
              </a>
            </dd>
          </>
        ))}
      </dl>
      <form method="post" action={`/candidatures/${app.id}/valider`} novalidate>
        <Csrf ctx={ctx} />
        <Checkbox t={t} form={form} name="rules" label={t('apps.rules')} required />
        <SubmitButton>{t('apps.validate')}</SubmitButton>
      </form>
    </Layout>
  );
}

/** APP-6: cancelling within the window; after it, giving up (a withdrawal). */
export function CancelPage(props: { ctx: PageContext; app: ApplicationView; error?: MessageKey; withdraw?: boolean }) {
  const { ctx, app } = props;
  const t = ctx.t;
  const title = props.withdraw ? t('apps.withdrawTitle') : t('apps.cancelTitle');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      {props.error ? <Notice t={t} message={props.error} kind="warning" /> : null}
      <p>{props.withdraw ? t('apps.withdrawIntro', { title: app.session.title }) : t('apps.cancelIntro', { title: app.session.title })}</p>
      <SessionLine ctx={ctx} app={app} />
      {props.error ? null : (
        <form method="post" action={`/candidatures/${app.id}/annuler`}>
          <Csrf ctx={ctx} />
          <SubmitButton>{props.withdraw ? t('apps.withdrawConfirm') : t('apps.cancelConfirm')}</SubmitButton>
        </form>
      )}
      <p>
        <a href="/candidatures">{t('apps.cancelKeep')}</a>
      </p>
    </Layout>
  );
}
