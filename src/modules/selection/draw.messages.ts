import { registerMessages } from '../../platform/i18n';

/**
 * SEL-2, SEL-12: the committed draw's and the public selection page's messages (French the
 * reference; English the same keys and placeholders).
 */
const fr = {
  'draw.title': 'Comment les places sont attribuées : {title}',
  'draw.intro':
    'Les candidatures ne sont pas traitées dans l’ordre d’arrivée. À la fin de la période d’inscription, elles sont classées selon les critères ci-dessous ; les ex æquo sont départagés par un tirage au sort engagé à l’avance, que chacun peut vérifier.',
  'draw.session': '{school} — {places} places. Candidatures du {from} au {to}.',
  'draw.cancelled': 'Cette session est annulée.',
  'draw.pointsTitle': 'Comment les points sont comptés',
  'draw.evaluationPrevails': 'Cette formation a une évaluation pédagogique (test ou entretien) : sa note prime sur tous les autres critères. Les points ci-dessous ne départagent que des notes égales.',
  'draw.noEvaluation': 'Cette formation n’a pas d’évaluation pédagogique : le classement suit les points ci-dessous.',
  'draw.points.welfare_recipient': 'Bénéficiaire des minima sociaux : {points} point(s)',
  'draw.points.job_seeker': 'Demandeur ou demandeuse d’emploi : {points} point(s)',
  'draw.points.assisted_contract': 'Contrat aidé : {points} point(s)',
  'draw.points.professional': 'Objectif professionnel : {points} point(s)',
  'draw.points.diploma': 'Objectif de diplôme : {points} point(s)',
  'draw.points.certificate': 'Attestation de compétences du niveau précédent obtenue ici : {points} point(s)',
  'draw.points.attendance': 'Assiduité d’au moins {percent} % au niveau précédent suivi ici : {points} point(s)',
  'draw.pointsDecided': 'Voici les points comptés lors de la sélection de cette session.',
  'draw.pointsUnpublished': 'Cette session a été sélectionnée avant que les points comptés ne soient conservés : ils ne sont pas publiés pour elle.',
  'draw.orderUnpublished': 'L’ordre du tirage n’a pas été publié pour cette session : elle a été sélectionnée avant que les tirages ne soient publiés.',
  'draw.points.other': 'Les autres situations et objectifs ne donnent pas de points. Une personne de l’équipe peut ajouter ou retirer des points, avec une raison enregistrée.',
  'draw.drawTitle': 'Le tirage au sort',
  'draw.none': 'Le tirage n’est pas encore engagé : il le sera au plus tard à l’ouverture des candidatures.',
  'draw.commitment': 'Engagement (empreinte SHA-256 de la graine), publié le {date} :',
  'draw.late': 'Attention : cet engagement a été fait après l’ouverture des candidatures (le {opened}). Il n’a donc pas pu être vérifié à l’avance.',
  'draw.secret': 'La graine reste secrète jusqu’à la sélection ; elle sera alors publiée ici, et chacun pourra vérifier qu’elle correspond à cet engagement.',
  'draw.seed': 'Graine, révélée le {date} :',
  'draw.orderTitle': 'Ordre du tirage',
  'draw.orderHelp':
    'Chaque candidature est désignée par une référence anonyme (la personne la voit sur sa candidature). Entre deux candidatures à égalité de note et de points, celle qui vient la première dans cet ordre passe devant.',
  'draw.orderNone': 'Aucune candidature n’a été départagée par ce tirage.',
  'draw.verifyTitle': 'Vérifier le tirage',
  'draw.verify': 'Téléchargez le fichier {file} puis lancez « npm run cli -- draw --file {file} » depuis le code de Cursus : la commande vérifie que la graine correspond à l’engagement et refait l’ordre.',
  'draw.figuresTitle': 'Après la sélection',
  'draw.figures.applications': 'Candidatures',
  'draw.figures.places': 'Places',
  'draw.figures.accepted': 'Acceptées',
  'draw.figures.waiting': 'En liste d’attente aujourd’hui',
  'draw.figures.refused': 'Refusées (prérequis)',
  'draw.figures.lastRank': 'Rang du dernier admis à la sélection',
  'draw.figures.offered': 'Places proposées depuis la liste d’attente',
  'draw.figures.note': 'Chiffres anonymes : aucun nom n’est publié.',
  'draw.before': 'La sélection n’a pas encore eu lieu.',
  'draw.col.reference': 'Référence du tirage',
  'draw.staff.commitment': 'Tirage engagé le {date} (empreinte {commitment}).',
  'draw.staff.late': 'Engagé après l’ouverture des candidatures : la page publique le signale.',
  'draw.staff.secret': 'La graine sera révélée sur la page publique à la décision.',
  'draw.staff.seed': 'Graine révélée le {date} : {seed}.',
  'draw.staff.public': 'Page publique de la sélection',
};

const en: Record<keyof typeof fr, string> = {
  'draw.title': 'How places are given: {title}',
  'draw.intro':
    'Applications are not handled in order of arrival. At the end of the registration period they are ranked on the criteria below; ties are broken by a random draw committed in advance, which anyone can check.',
  'draw.session': '{school} — {places} places. Applications from {from} to {to}.',
  'draw.cancelled': 'This session is cancelled.',
  'draw.pointsTitle': 'How the points are counted',
  'draw.evaluationPrevails': 'This course has a pedagogical evaluation (test or interview): its mark prevails over every other criterion. The points below only separate equal marks.',
  'draw.noEvaluation': 'This course has no pedagogical evaluation: the ranking follows the points below.',
  'draw.points.welfare_recipient': 'Welfare recipient: {points} point(s)',
  'draw.points.job_seeker': 'Job seeker: {points} point(s)',
  'draw.points.assisted_contract': 'Assisted contract: {points} point(s)',
  'draw.points.professional': 'Professional objective: {points} point(s)',
  'draw.points.diploma': 'Diploma objective: {points} point(s)',
  'draw.points.certificate': 'Certificate of skills of the previous level obtained here: {points} point(s)',
  'draw.points.attendance': 'Attendance of at least {percent} % in the previous level followed here: {points} point(s)',
  'draw.pointsDecided': 'These are the points counted at this session’s selection.',
  'draw.pointsUnpublished': 'This session was selected before the points counted were kept: they are not published for it.',
  'draw.orderUnpublished': 'The order of the draw was not published for this session: it was selected before draws were published.',
  'draw.points.other': 'Other situations and objectives give no points. A staff member may add or take points, with a recorded reason.',
  'draw.drawTitle': 'The random draw',
  'draw.none': 'The draw is not committed yet: it will be at the latest when applications open.',
  'draw.commitment': 'Commitment (SHA-256 fingerprint of the seed), published on {date}:',
  'draw.late': 'Warning: this commitment was made after applications opened (on {opened}). It could not be checked in advance.',
  'draw.secret': 'The seed stays secret until the selection; it will then be published here, and anyone can check it matches this commitment.',
  'draw.seed': 'Seed, revealed on {date}:',
  'draw.orderTitle': 'Order of the draw',
  'draw.orderHelp':
    'Each application is shown by an anonymous reference (its learner sees it on their application). Between two applications with the same mark and points, the one first in this order goes ahead.',
  'draw.orderNone': 'No application was ranked by this draw.',
  'draw.verifyTitle': 'Check the draw',
  'draw.verify': 'Download the file {file} and run “npm run cli -- draw --file {file}” from Cursus’s code: the command checks the seed against the commitment and re-runs the order.',
  'draw.figuresTitle': 'After the selection',
  'draw.figures.applications': 'Applications',
  'draw.figures.places': 'Places',
  'draw.figures.accepted': 'Accepted',
  'draw.figures.waiting': 'On the waiting list today',
  'draw.figures.refused': 'Refused (prerequisites)',
  'draw.figures.lastRank': 'Rank of the last admitted at the selection',
  'draw.figures.offered': 'Places offered from the waiting list',
  'draw.figures.note': 'Anonymous figures: no name is published.',
  'draw.before': 'The selection has not taken place yet.',
  'draw.col.reference': 'Draw reference',
  'draw.staff.commitment': 'Draw committed on {date} (fingerprint {commitment}).',
  'draw.staff.late': 'Committed after applications opened: the public page says so.',
  'draw.staff.secret': 'The seed will be revealed on the public page at the decision.',
  'draw.staff.seed': 'Seed revealed on {date}: {seed}.',
  'draw.staff.public': 'Public selection page',
};

type DrawMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends DrawMessages {}
}

registerMessages('selection.draw', { fr, en });
