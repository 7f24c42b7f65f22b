import type { MessageKey } from '../../../platform/i18n';
import type { PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { HelpLink } from '../../help';
import { reasonKey } from '../../applications';
import type { LegacyHistoryEntry } from '../../legacy';
import type { HistoryDocument, HistoryEntry } from '../history.service';

const k = (key: string) => key as MessageKey;


/** A document: its code and date (its kind too, unless the line already names it), its state, its PDF, its public check. */
function DocumentLine(props: { ctx: PageContext; doc: HistoryDocument; named?: boolean }) {
  const { t } = props.ctx;
  const { doc } = props;
  const kind = t(k(`doc.kind.${doc.kind}`));
  const issued = { kind, code: doc.displayCode, date: t.date(doc.issuedAt, 'date') };
  return (
    <>
      {props.named ? t('cert.history.documentCode', issued) : t('cert.history.document', issued)}
      {doc.status !== 'valid' ? <> — {t('cert.history.documentState', { status: t(k(`doc.statusName.${doc.status}`)) })}</> : null}
      {doc.pdf ? (
        <>
          {' — '}
          <a href={doc.pdf}>{t('cert.history.downloadOf', { kind })}</a>
        </>
      ) : null}
      {' — '}
      <a href={`/verifier/${doc.code}`}>{t('cert.history.verify', { code: doc.displayCode })}</a>
    </>
  );
}

function Attendance(props: { ctx: PageContext; entry: HistoryEntry }) {
  const { t } = props.ctx;
  const a = props.entry.attendance!;
  if (a.kind === 'final') return <>{a.percent === null ? t('cert.history.attendanceUnknown') : t('cert.history.attendanceFinal', { percent: a.percent })}</>;
  if (a.kind === 'closed') return <>{a.percent === null ? t('cert.history.attendanceNotYet') : t('cert.history.attendanceClosed', { percent: a.percent, date: t.date(a.until, 'date') })}</>;
  if (a.soFar === null || a.reachable === null) return <>{t('cert.history.attendanceNotYet')}</>;
  return <>{t('cert.history.attendanceRunning', { soFar: a.soFar, reachable: a.reachable })}</>;
}

function Certificates(props: { ctx: PageContext; entry: HistoryEntry; percent: number }) {
  const { ctx, entry } = props;
  const t = ctx.t;
  const final = entry.attendance?.kind === 'final' ? entry.attendance : null;
  const attendance = entry.attendanceCertificate ? (
    <DocumentLine ctx={ctx} doc={entry.attendanceCertificate} named />
  ) : final ? (
    t(final.certified ? 'cert.history.attendancePending' : 'cert.history.attendanceNotCertified', { percent: props.percent })
  ) : null;
  const skills = entry.certificate ? (
    <DocumentLine ctx={ctx} doc={entry.certificate} named />
  ) : entry.certificateDueOn ? (
    t('cert.history.certificateDue', { date: t.date(entry.certificateDueOn) })
  ) : entry.outcome === 'failed' || entry.outcome === 'absent' ? (
    t('cert.history.certificateNone')
  ) : null;
  if (!attendance && !skills) return null;
  return (
    <>
      <dt>{t('cert.history.certificates')}</dt>
      <dd>
        <ul>
          {attendance ? (
            <li>
              <strong>{t('cert.history.attendanceCertificate')}</strong> : {attendance}
            </li>
          ) : null}
          {skills ? (
            <li>
              <strong>{t('cert.history.certificate')}</strong> : {skills}
            </li>
          ) : null}
        </ul>
      </dd>
    </>
  );
}

const exemptionWords = { pending: 'cert.exemption.pending', granted: 'cert.exemption.granted', refused: 'cert.exemption.refused' } as const;

/** CERT-4, CERT-5: the links to ask, shown as the lifecycle allows, and the answers given. */
function Requests(props: { ctx: PageContext; entry: HistoryEntry }) {
  const { t } = props.ctx;
  const { requests, applicationId } = props.entry;
  const lines = [
    requests.exemption ? (
      <li>
        {t('cert.history.exemption', { status: t(exemptionWords[requests.exemption.status]) })}
        {requests.exemption.reason ? <> {t('cert.history.exemptionReason', { reason: requests.exemption.reason })}</> : null}
      </li>
    ) : null,
    ...requests.marksAnswers.map((a) => <li class="prewrap">{t('cert.history.marksAnswer', { date: t.date(a.answeredAt, 'date'), answer: a.answer })}</li>),
    requests.mayRequestMarks ? (
      <li>
        <a href={`/candidatures/${applicationId}/notes`}>{t('cert.history.requestMarks')}</a>
      </li>
    ) : null,
    requests.mayDeclareDiploma ? (
      <li>
        <a href={`/candidatures/${applicationId}/dispense`}>{t('cert.history.requestExemption')}</a>
      </li>
    ) : null,
  ].filter((l) => l !== null);
  if (lines.length === 0) return null;
  return (
    <>
      <dt>{t('cert.history.requests')}</dt>
      <dd>
        <ul>{lines}</ul>
      </dd>
    </>
  );
}

function HistoryItem(props: { ctx: PageContext; entry: HistoryEntry; percent: number }) {
  const { ctx, entry } = props;
  const t = ctx.t;
  const s = entry.session;
  const status = t(k(`apps.status.${entry.status}`));
  const words = reasonKey(entry.closingReason);
  const reason = words ? t(words) : entry.refusalReason;
  const titleId = `parcours-${entry.applicationId}-titre`;
  return (
    <li class="application" id={`parcours-${entry.applicationId}`}>
      <h2 id={titleId}>
        <a href={`/formations/${encodeURIComponent(s.courseCode)}`}>{s.title}</a>
      </h2>
      <p>{t('cert.history.group', { school: s.schoolName, code: s.code })}</p>
      <dl class="summary">
        <dt>{t('cert.history.status')}</dt>
        <dd>
          <strong>{entry.closedAt ? t('cert.history.closedOn', { status, date: t.date(entry.closedAt, 'date') }) : status}</strong>
        </dd>
        {reason ? (
          <>
            <dt>{t('cert.history.why')}</dt>
            <dd class="prewrap">{reason}</dd>
          </>
        ) : null}
        <dt>{t('cert.history.period')}</dt>
        <dd>{s.period.name}</dd>
        <dt>{t('cert.history.dates')}</dt>
        <dd>{t('cert.history.datesValue', { from: t.date(s.firstMeeting), to: t.date(s.lastMeeting) })}</dd>
        {entry.sentAt ? (
          <>
            <dt>{t('cert.history.sent')}</dt>
            <dd>{t.date(entry.sentAt, 'date')}</dd>
          </>
        ) : null}
        {entry.attendance ? (
          <>
            <dt>{t('cert.history.attendance')}</dt>
            <dd>
              <Attendance ctx={ctx} entry={entry} />
            </dd>
          </>
        ) : null}
        {entry.outcome ? (
          <>
            <dt>{t('cert.history.evaluation')}</dt>
            <dd>{t(k(`cert.history.outcome.${entry.outcome}`))}</dd>
          </>
        ) : null}
        <Certificates ctx={ctx} entry={entry} percent={props.percent} />
        <Requests ctx={ctx} entry={entry} />
        {entry.documents.length ? (
          <>
            <dt>{t('cert.history.documents')}</dt>
            <dd>
              <ul>
                {entry.documents.map((doc) => (
                  <li>
                    <DocumentLine ctx={ctx} doc={doc} />
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
    </li>
  );
}

/** ACC-9: one enrolment of the old system, marked so: its course, school, period, attendance, outcome and certificates. */
function LegacyItem(props: { ctx: PageContext; entry: LegacyHistoryEntry }) {
  const { t } = props.ctx;
  const e = props.entry;
  return (
    <li class="application" id={`ancien-${e.id}`}>
      <h3>
        {e.courseTitle} <span class="badge">({t('legacy.history.mark')})</span>
      </h3>
      <p>{e.school}</p>
      <dl class="summary">
        <dt>{t('cert.history.period')}</dt>
        <dd>{e.period}</dd>
        <dt>{t('cert.history.dates')}</dt>
        <dd>{t('cert.history.datesValue', { from: t.date(e.startedOn), to: t.date(e.endedOn) })}</dd>
        <dt>{t('cert.history.attendance')}</dt>
        <dd>
          {e.attendancePercent === null ? t('cert.history.attendanceUnknown') : t('cert.history.attendanceFinal', { percent: e.attendancePercent })} —{' '}
          {t(e.attendanceCertified ? 'legacy.history.attendanceCertified' : 'legacy.history.attendanceNotCertified')}
        </dd>
        {e.outcome ? (
          <>
            <dt>{t('cert.history.evaluation')}</dt>
            <dd>{t(k(`cert.history.outcome.${e.outcome}`))}</dd>
          </>
        ) : null}
        {e.certificateOn ? (
          <>
            <dt>{t('cert.history.certificate')}</dt>
            <dd>
              {e.certificateNumber
                ? t('legacy.history.certificateNumbered', { number: e.certificateNumber, date: t.date(e.certificateOn) })
                : t('legacy.history.certificate', { date: t.date(e.certificateOn) })}
            </dd>
          </>
        ) : null}
      </dl>
    </li>
  );
}

/** ACC-9: the linked old enrolments, after the current ones; without any, the way to link the former account. */
function LegacySection(props: { ctx: PageContext; legacy: LegacyHistoryEntry[] }) {
  const { t } = props.ctx;
  if (props.legacy.length === 0)
    return (
      <p>
        <a href="/compte/ancien-compte">{t('legacy.history.linkAccount')}</a>
      </p>
    );
  return (
    <section aria-labelledby="ancien-systeme">
      <h2 id="ancien-systeme">{t('legacy.history.title')}</h2>
      <p>{t('legacy.history.intro')}</p>
      <ol class="applications history">
        {props.legacy.map((entry) => (
          <LegacyItem ctx={props.ctx} entry={entry} />
        ))}
      </ol>
    </section>
  );
}

/** ACC-10: the learner's history, newest first: one item per application, its outcome, attendance, certificates and documents; then the old system's (ACC-9). */
export function HistoryPage(props: { ctx: PageContext; entries: HistoryEntry[]; legacy?: LegacyHistoryEntry[]; percent: number }) {
  const { ctx, entries } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('cert.history.title')}>
      <p>
        <a href="/compte">{t('cert.history.back')}</a>
      </p>
      <h1>{t('cert.history.title')}</h1>
      <HelpLink t={t} slug="assiduite" />
      <p>{t('cert.history.intro')}</p>
      <p>
        <a href="/candidatures">{t('cert.history.applications')}</a>
      </p>
      {entries.length === 0 ? (
        <p>
          {t('cert.history.empty')} <a href="/recherche">{t('cert.history.search')}</a>
        </p>
      ) : (
        <ol class="applications history">
          {entries.map((entry) => (
            <HistoryItem ctx={ctx} entry={entry} percent={props.percent} />
          ))}
        </ol>
      )}
      <LegacySection ctx={ctx} legacy={props.legacy ?? []} />
    </Layout>
  );
}
