import type { MessageKey } from '../../../platform/i18n';
import { Csrf, Notice, SubmitButton, Table } from '../../../ui/components';
import type { PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import type { ScopedSession } from '../../catalogue';
import type { Applicant, Outcome, Ranked } from '../selection.rules';
import type { ApplicantDetails } from '../selection.service';
import { Explanation, type Line } from '../../../ui/explanation';
import { StaffDrawFacts } from './draw';

const k = (key: string) => key as MessageKey;

/** SEL-1, SEL-2: the ranking proposal, the criteria that applied, the published draw, and "decide". */
export function SelectionPage(props: {
  ctx: PageContext;
  session: ScopedSession;
  /** SEL-2: the committed draw (the seed once revealed). */
  draw?: { commitment: string; committedAt: Date; late: boolean; revealedAt: Date | null; seed: string | null };
  /** Places held now (SEL-6). */
  held?: number;
  /** SVC-5: the free places still held for assisted applications, until when. */
  assistedHeld?: { places: number; until: Date };
  ranked: Ranked[];
  /** What deciding now would do, as `decide` says: the proposal column shows it. */
  outcomes?: Map<string, Outcome['outcome']>;
  refused?: Applicant[];
  details?: Map<string, ApplicantDetails>;
  names: Map<string, string>;
  /** SEL-12: per applicant, the explanation the learner will read (the same lines). */
  explanations?: Map<string, Line[]>;
  windowOpen: boolean;
  flash?: string;
}) {
  const { ctx, session } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('sel.title', { title: session.title })} flash={props.flash}>
      <p>
        <a href="/personnel">{t('staff.title')}</a>
      </p>
      <h1>{t('sel.title', { title: session.title })}</h1>
      <p>{t('sel.summary', { school: session.schoolName, capacity: session.capacity, taken: props.held ?? 0, count: props.ranked.length })}</p>
      {props.assistedHeld?.places ? <p>{t('sel.assistedHeld', { count: props.assistedHeld.places, date: t.date(props.assistedHeld.until, 'datetime') })}</p> : null}
      {props.windowOpen ? <Notice t={t} message="sel.windowOpen" kind="warning" /> : null}
      {props.draw ? <StaffDrawFacts ctx={ctx} draw={props.draw} code={session.code} /> : null}
      {!props.windowOpen && props.ranked.length === 0 ? <p>{t('sel.none')}</p> : null}
      {props.refused?.length ? <p>{t('sel.refusedCount', { count: props.refused.length })}</p> : null}
      {props.ranked.length ? (
        <Table
          id="proposal"
          caption={t('sel.title', { title: session.title })}
          captionHidden
          rows={props.ranked}
          columns={[
            { label: t('sel.col.rank'), cell: (r) => r.rank },
            {
              label: t('sel.col.name'),
              cell: (r) => (
                <>
                  <a href={`/personnel/candidatures/${r.applicationId}`}>{(r.learnerId && props.names.get(r.learnerId)) || r.applicationId.slice(0, 8)}</a>
                  {r.assisted ? <> {t('sel.assistedMark')}</> : null}
                </>
              ),
            },
            { label: t('sel.col.situation'), cell: (r) => t(k(`apps.situation.${r.situation}`)) },
            { label: t('sel.col.objective'), cell: (r) => t(k(`apps.objective.${r.objective}`)) },
            {
              label: t('sel.col.motivations'),
              cell: (r) => (
                <details>
                  <summary>{t('sel.read')}</summary>
                  <p class="prewrap">{props.details?.get(r.applicationId)?.motivations ?? ''}</p>
                </details>
              ),
            },
            {
              label: t('sel.col.previous'),
              // SEL-2: the real attendance and certificate of the previous level, when it ended here.
              cell: (r) =>
                r.previousAttendancePercent !== null
                  ? t('sel.previousFacts', { attendance: r.previousAttendancePercent, certificate: t(r.previousCertificate ? 'sel.sheet.previousCertificate' : 'sel.sheet.previousNoCertificate') })
                  : props.details?.get(r.applicationId)?.previousLevelHere
                    ? t('catf.yes')
                    : t('sel.unknown'),
            },
            session.admissionEvaluation && { label: t('sel.col.evaluation'), cell: (r) => r.evaluation ?? '—' },
            { label: t('sel.col.score'), cell: (r) => r.score },
            { label: t('sel.col.proposal'), cell: (r) => (props.outcomes?.get(r.applicationId) === 'accepted' ? t('sel.accept') : t('sel.wait')) },
            {
              label: t('sel.col.why'),
              cell: (r) => (
                <details>
                  <summary>{t('sel.why.title')}</summary>
                  <Explanation t={t} lines={props.explanations?.get(r.applicationId) ?? []} />
                </details>
              ),
            },
            { label: t('sel.col.id'), cell: (r) => <code>{r.applicationId}</code> },
            { label: t('draw.col.reference'), cell: (r) => <code>{r.reference}</code> },
          ]}
        />
      ) : null}
      {!props.windowOpen && props.ranked.length ? (
        <form method="post" action={`/personnel/sessions/${encodeURIComponent(session.code)}/selection`}>
          <Csrf ctx={ctx} />
          <SubmitButton>{t('sel.decide')}</SubmitButton>
        </form>
      ) : null}
    </Layout>
  );
}
