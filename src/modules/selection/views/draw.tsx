import type { PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import type { PublicSelection } from '../draw.service';

/** The public page's address of a session, and its JSON (the file `draw --file` checks). */
export const publicSelectionPath = (code: string) => `/sessions/${encodeURIComponent(code)}/selection`;

/** SEL-2: what staff see of the draw on the ranking screen: the commitment, the seed once revealed. */
export function StaffDrawFacts(props: { ctx: PageContext; code: string; draw: { commitment: string; committedAt: Date; late: boolean; revealedAt: Date | null; seed: string | null } }) {
  const t = props.ctx.t;
  const { draw } = props;
  return (
    <div class="draw-facts">
      <p>{t('draw.staff.commitment', { date: t.date(draw.committedAt, 'datetime'), commitment: draw.commitment })}</p>
      {draw.late ? <p>{t('draw.staff.late')}</p> : null}
      <p>{draw.seed && draw.revealedAt ? t('draw.staff.seed', { date: t.date(draw.revealedAt, 'datetime'), seed: draw.seed }) : t('draw.staff.secret')}</p>
      <p>
        <a href={publicSelectionPath(props.code)}>{t('draw.staff.public')}</a>
      </p>
    </div>
  );
}

/** SEL-2, SEL-12: the public selection page of a session: the points, the committed draw, and after selection its order and figures. */
export function PublicSelectionPage(props: { ctx: PageContext; data: PublicSelection }) {
  const t = props.ctx.t;
  const { session, draw, points, figures } = props.data;
  const file = `${publicSelectionPath(session.code)}.json`;
  return (
    <Layout ctx={props.ctx} title={t('draw.title', { title: session.title })}>
      <h1>{t('draw.title', { title: session.title })}</h1>
      <p>{t('draw.session', { school: session.school, places: session.capacity, from: t.date(session.windowOpensAt, 'datetime'), to: t.date(session.windowClosesAt, 'datetime') })}</p>
      {session.cancelled ? <p class="badge badge-closed">{t('draw.cancelled')}</p> : null}
      <p>{t('draw.intro')}</p>

      <h2>{t('draw.pointsTitle')}</h2>
      <p>{t(session.evaluated ? 'draw.evaluationPrevails' : 'draw.noEvaluation')}</p>
      {points ? (
        <>
          {draw?.revealedAt ? <p>{t('draw.pointsDecided')}</p> : null}
          <ul>
            <li>{t('draw.points.welfare_recipient', { points: points.situation.welfare_recipient })}</li>
            <li>{t('draw.points.job_seeker', { points: points.situation.job_seeker })}</li>
            <li>{t('draw.points.assisted_contract', { points: points.situation.assisted_contract })}</li>
            <li>{t('draw.points.professional', { points: points.objective.professional })}</li>
            <li>{t('draw.points.diploma', { points: points.objective.diploma })}</li>
            <li>{t('draw.points.certificate', { points: points.previousCertificate })}</li>
            <li>{t('draw.points.attendance', { percent: points.previousAttendance.atLeastPercent, points: points.previousAttendance.points })}</li>
          </ul>
          <p>{t('draw.points.other')}</p>
        </>
      ) : (
        <p id="points-unpublished">{t('draw.pointsUnpublished')}</p>
      )}

      <h2>{t('draw.drawTitle')}</h2>
      {draw ? (
        <>
          <p>{t('draw.commitment', { date: t.date(draw.committedAt, 'datetime') })}</p>
          <p>
            <code class="breakable" id="commitment">
              {draw.commitment}
            </code>
          </p>
          {draw.late ? (
            <p class="notice notice-warning" role="note">
              {t('draw.late', { opened: t.date(session.windowOpensAt, 'datetime') })}
            </p>
          ) : null}
          {draw.seed && draw.revealedAt ? (
            <>
              <p>{t('draw.seed', { date: t.date(draw.revealedAt, 'datetime') })}</p>
              <p>
                <code id="seed">{draw.seed}</code>
              </p>
              <h3>{t('draw.orderTitle')}</h3>
              {draw.orderUnpublished ? (
                <p id="order-unpublished">{t('draw.orderUnpublished')}</p>
              ) : draw.order.length ? (
                <>
                  <p>{t('draw.orderHelp')}</p>
                  <ol id="draw-order">
                    {draw.order.map((reference) => (
                      <li>
                        <code>{reference}</code>
                      </li>
                    ))}
                  </ol>
                </>
              ) : (
                <p>{t('draw.orderNone')}</p>
              )}
            </>
          ) : (
            <p>{t('draw.secret')}</p>
          )}
          <h3>{t('draw.verifyTitle')}</h3>
          <p>
            {t('draw.verify', { file: `selection.json` })} <a href={file}>{file}</a>
          </p>
        </>
      ) : (
        <p>{t('draw.none')}</p>
      )}

      <h2>{t('draw.figuresTitle')}</h2>
      {figures ? (
        <>
          <dl class="summary" id="figures">
            <dt>{t('draw.figures.applications')}</dt>
            <dd>{figures.applications}</dd>
            <dt>{t('draw.figures.places')}</dt>
            <dd>{figures.places}</dd>
            <dt>{t('draw.figures.accepted')}</dt>
            <dd>{figures.accepted}</dd>
            <dt>{t('draw.figures.waiting')}</dt>
            <dd>{figures.waiting}</dd>
            <dt>{t('draw.figures.refused')}</dt>
            <dd>{figures.refused}</dd>
            <dt>{t('draw.figures.lastRank')}</dt>
            <dd>{figures.lastRankAdmitted ?? '—'}</dd>
            <dt>{t('draw.figures.offered')}</dt>
            <dd>{figures.offeredFromWaitingList}</dd>
          </dl>
          <p>{t('draw.figures.note')}</p>
        </>
      ) : (
        <p>{t('draw.before')}</p>
      )}
    </Layout>
  );
}
