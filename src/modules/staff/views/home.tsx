import { mayDecideNameChanges } from '../../accounts';
import { roleMay } from '../../applications';
import { mayReadStatements } from '../../payments';
import { connectionPaths } from '../../attendance';
import { mayAnswerContact } from '../../contact';
import { registerRoles } from '../../privacy';
import { figureViewers, type Role } from '../../../domain/vocabulary';
import type { MessageKey } from '../../../platform/i18n';
import type { PageContext } from '../../../ui/context';
import { slotText } from '../../../ui/format';
import { Table, type TableColumn } from '../../../ui/components';
import { Layout } from '../../../ui/Layout';
import type { Period } from '../../catalogue';
import { columns, listQuery, shows, sortable, type Column, type StaffListOptions } from '../staff.rules';
import type { StaffSessionRow } from '../staff.service';
import type { openChangeRequests } from '../../selection';


/** One row of the staff list as plain values, for the page and the exports alike. */
export function rowValues(t: PageContext['t'], s: StaffSessionRow): Record<Column, string | number> {
  return {
    session: s.code,
    course: s.title,
    school: s.schoolName,
    period: s.periodName,
    slots: s.slots.map((slot) => slotText(t, slot)).join(' ; '),
    capacity: s.capacity,
    processing: s.processing,
    accepted: s.accepted,
    enrolled: s.enrolled,
    waiting: s.waitingList,
    free: s.freePlaces,
  };
}

/** PAY-1, PAY-3: the payment pages, each shown to the roles the lifecycle lets take its action. */
function PaymentLinks(props: { t: PageContext['t']; role: Role }) {
  const { t, role } = props;
  const review = roleMay(role, 'recordPayment') || roleMay(role, 'decideRefund');
  const links = [
    roleMay(role, 'validateEnrolment') && { href: '/personnel/paiements/a-valider', label: t('pay.staff.validate.title') },
    roleMay(role, 'recordPayment') && { href: '/personnel/paiements/a-encaisser', label: t('pay.staff.collect.title') },
    review && { href: '/personnel/paiements', label: t('pay.staff.report.title') },
    review && { href: '/personnel/paiements/a-verifier', label: t('pay.staff.flags.title') },
    mayReadStatements(role) && { href: '/personnel/releves', label: t('stmt.title') },
    roleMay(role, 'decideRefund') && { href: '/personnel/remboursements', label: t('refund.staff.title') },
  ].filter((l) => l !== false);
  if (links.length === 0) return null;
  return (
    <nav aria-labelledby="paiements">
      <h2 id="paiements">{t('pay.staff.section')}</h2>
      <ul class="links">
        {links.map((l) => (
          <li>
            <a href={l.href}>{l.label}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** ATT-2, CERT-2, CERT-4, CERT-5: the end-of-course pages, each shown to the roles the lifecycle lets take its action. */
function CertificationLinks(props: { t: PageContext['t']; role: Role }) {
  const { t, role } = props;
  const links = [
    roleMay(role, 'certify') && { href: '/personnel/certificats', label: t('cert.list.title') },
    roleMay(role, 'decideExemption') && { href: '/personnel/dispenses', label: t('cert.exemptions.title') },
    roleMay(role, 'answerMarks') && { href: '/personnel/notes', label: t('cert.marks.title') },
  ].filter((l) => l !== false);
  if (links.length === 0) return null;
  return (
    <ul class="links">
      {links.map((l) => (
        <li>
          <a href={l.href}>{l.label}</a>
        </li>
      ))}
    </ul>
  );
}

/** May this role see a session's attendance page (ATT-2: its incidents and their actions)? */
const mayFollowAttendance = (role: Role) => roleMay(role, 'markAttendance') || roleMay(role, 'removeForAbsences') || roleMay(role, 'excludeForConduct');

/** The staff home: the sessions of one's scope, with counts, filterable, exportable. */
export function StaffHomePage(props: {
  ctx: PageContext;
  displayName: string | null;
  rows: StaffSessionRow[];
  all: boolean;
  options: StaffListOptions;
  periods: Period[];
  requests: Awaited<ReturnType<typeof openChangeRequests>>;
  /** The lifecycle's table: may this person decide selections (the link to the selection screen)? */
  maySelect: boolean;
}) {
  const { ctx, options } = props;
  const t = ctx.t;
  const role = ctx.user?.role ?? 'learner';
  const query = listQuery(options);
  const exportQuery = query ? `?${query}` : '';
  const filtered = Boolean(options.q || options.period || (options.show && options.show !== 'all'));
  return (
    <Layout ctx={ctx} title={t('staff.title')}>
      <h1>{t('staff.title')}</h1>
      {props.displayName ? <p>{t('home.welcome', { name: props.displayName })}</p> : null}
      <p>{t('staff.intro', { role: t(`role.${role}` as MessageKey) })}</p>
      {role === 'admin' ? (
        <p>
          <a href="/personnel/admin">{t('admin.link')}</a>
        </p>
      ) : null}
      {role === 'counsellor' ? (
        <p>
          {/* SVC-5: the help desk's pages (desk module). */}
          <a href="/personnel/accueil">{t('desk.link')}</a>
        </p>
      ) : null}
      {mayDecideNameChanges(role) ? (
        <p>
          <a href="/personnel/apprenants">{t('staff.learnersLink')}</a>
        </p>
      ) : null}
      {/* SVC-6: the figures (the vocabulary's figureViewers, which the figures' routes guard with). */}
      {(figureViewers as readonly Role[]).includes(role) ? (
        <p>
          <a href="/personnel/chiffres">{t('fig.link')}</a>
        </p>
      ) : null}
      {(registerRoles as readonly string[]).includes(role) ? (
        <p>
          {/* ACC-14: the processing register's extract (privacy module). */}
          <a href="/personnel/registre-traitements">{t('privacy.register.link')}</a>
        </p>
      ) : null}
      {mayAnswerContact(role) ? (
        <p>
          {/* SVC-1: the contact form's messages (contact module). */}
          <a href="/personnel/messages">{t('contact.staff.link')}</a>
        </p>
      ) : null}
      {/* Issue 18, decision 030: the connection-hours import, for those who take the registers (the attendance module's page). */}
      {ctx.profile === 'credits' && roleMay(role, 'markAttendance') ? (
        <p>
          <a href={connectionPaths.staff}>{t('att.conn.staffLink')}</a>
        </p>
      ) : null}
      <PaymentLinks t={t} role={role} />
      <CertificationLinks t={t} role={role} />
      {props.requests.length ? (
        <section aria-labelledby="demandes">
          <h2 id="demandes">{t('staff.changeRequests', { count: props.requests.length })}</h2>
          <ul>
            {props.requests.map((r) => (
              <li>
                <a href={`/personnel/candidatures/${r.applicationId}`}>{r.name}</a> — {r.session.title} ({r.session.code}) : {r.note}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <h2>{t('staff.sessions')}</h2>
      <p>{props.all ? t('staff.scopeAll') : props.rows.length === 0 && !filtered ? t('staff.scopeNone') : null}</p>
      <form method="get" action="/personnel" role="search" class="filters-inline">
        <div class="field">
          <label for="q">{t('search.keywords')}</label>
          <input id="q" name="q" type="search" class="input input-medium" maxLength={200} value={options.q} />
        </div>
        <div class="field">
          <label for="period">{t('staff.filterPeriod')}</label>
          <select id="period" name="period" class="input input-medium">
            <option value="">{t('staff.allPeriods')}</option>
            {props.periods.map((p) => (
              <option value={p.code} selected={p.code === options.period}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="show">{t('staff.filterShow')}</label>
          <select id="show" name="show" class="input input-medium">
            {shows.map((v) => (
              <option value={v} selected={(options.show ?? 'all') === v}>
                {t(`staff.show.${v}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        {options.sort ? <input type="hidden" name="sort" value={options.sort} /> : null}
        {options.dir ? <input type="hidden" name="dir" value={options.dir} /> : null}
        <button type="submit" class="button button-secondary">
          {t('staff.filter')}
        </button>
      </form>
      <p>
        {t.plural('staff.count', props.rows.length)} — {t('staff.export')} :{' '}
        <a href={`/personnel/sessions.csv${exportQuery}`}>{t('staff.exportCsv')}</a>,{' '}
        <a href={`/personnel/sessions.xlsx${exportQuery}`}>{t('staff.exportXlsx')}</a>
      </p>
      <Table
        id="session-list"
        caption={t('staff.sessions')}
        captionHidden
        rows={props.rows.map((s) => ({ s, v: rowValues(t, s) }))}
        columns={columns.map((c): TableColumn<{ s: StaffSessionRow; v: ReturnType<typeof rowValues> }> => {
          const current = options.sort === c;
          const next = current && options.dir !== 'desc' ? 'desc' : 'asc';
          return {
            label: t(`staff.col.${c}` as MessageKey),
            sort: (sortable as readonly string[]).includes(c)
              ? {
                  href: `/personnel?${listQuery(options, { sort: c as StaffListOptions['sort'], dir: next })}`,
                  hint: t(next === 'asc' ? 'staff.sortAsc' : 'staff.sortDesc'),
                  direction: current ? (options.dir === 'desc' ? 'descending' : 'ascending') : undefined,
                }
              : undefined,
            cell: ({ s, v }) =>
              c === 'course' ? (
                <>
                  <a href={`/personnel/sessions/${encodeURIComponent(s.code)}`}>{v.course}</a>
                  {props.maySelect ? (
                    <>
                      {' '}
                      (<a href={`/personnel/sessions/${encodeURIComponent(s.code)}/selection`}>{t('sel.link')}</a>)
                    </>
                  ) : null}
                  {roleMay(role, 'markAttendance') ? (
                    <>
                      {' '}
                      (<a href={`/personnel/sessions/${encodeURIComponent(s.code)}/registres`}>{t('att.meetings.registres')}</a>)
                    </>
                  ) : null}
                  {mayFollowAttendance(role) ? (
                    <>
                      {' '}
                      (<a href={`/personnel/sessions/${encodeURIComponent(s.code)}/assiduite`}>{t('cert.staff.attendanceLink')}</a>)
                    </>
                  ) : null}
                  {roleMay(role, 'cancelSession') ? <> (<a href={`/personnel/sessions/${encodeURIComponent(s.code)}/annulation`}>{t('cancel.link')}</a>)</> : null}
                  {s.hasEvaluation && roleMay(role, 'enterResult') ? (
                    <>
                      {' '}
                      (<a href={`/personnel/sessions/${encodeURIComponent(s.code)}/evaluation`}>{t('cert.staff.evaluationLink')}</a>)
                    </>
                  ) : null}
                </>
              ) : (
                v[c]
              ),
          };
        })}
      />
    </Layout>
  );
}
