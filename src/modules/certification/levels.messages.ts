import { registerMessages } from '../../platform/i18n';

/** The certification module's messages of levels (SEL-1, CERT-3, CERT-6). French is the reference. */
const fr = {
  'cert.next.title': 'Le niveau suivant',
  'cert.next.link': 'Le niveau suivant de vos cours réussis',
  'cert.next.intro': 'Vous avez réussi un niveau : vous pouvez candidater au niveau suivant, avec votre candidature précédente déjà remplie (vous la vérifiez avant de la valider).',
  'cert.next.none': 'Quand vous aurez obtenu le certificat de compétences et l’attestation d’assiduité d’un niveau, les sessions du niveau suivant apparaîtront ici.',
  'cert.next.passed': 'Niveaux réussis',
  'cert.next.sessions': 'Sessions du niveau suivant',
  'cert.next.noSession': 'Aucune session du niveau suivant n’a de place libre pour le moment.',
  'cert.next.after': 'Après « {title} »',
  'cert.next.free': '{count} place(s) libre(s)',
  'cert.next.priorityOpen': 'Fenêtre prioritaire : vous pouvez candidater dès maintenant, avant l’ouverture à tous le {date}.',
  'cert.next.open': 'Candidatures ouvertes jusqu’au {date}.',
  'cert.next.opensOn': 'Candidatures à partir du {date}.',
  'cert.next.apply': 'Candidater à cette session',
  'cert.next.applied': 'Vous avez déjà une candidature à ce cours.',
  'cert.next.seeApplication': 'Voir mes candidatures',
};

const en: Record<keyof typeof fr, string> = {
  'cert.next.title': 'The next level',
  'cert.next.link': 'The next level of the courses you passed',
  'cert.next.intro': 'You passed a level: you may apply to the next one, with your previous application already filled in (you check it before confirming).',
  'cert.next.none': 'Once you hold the certificate of skills and the attendance certificate of a level, the next level’s sessions will appear here.',
  'cert.next.passed': 'Levels passed',
  'cert.next.sessions': 'Sessions of the next level',
  'cert.next.noSession': 'No session of the next level has a free place for now.',
  'cert.next.after': 'After “{title}”',
  'cert.next.free': '{count} free place(s)',
  'cert.next.priorityOpen': 'Priority window: you may apply now, before applications open to everyone on {date}.',
  'cert.next.open': 'Applications open until {date}.',
  'cert.next.opensOn': 'Applications from {date}.',
  'cert.next.apply': 'Apply to this session',
  'cert.next.applied': 'You already have an application to this course.',
  'cert.next.seeApplication': 'See my applications',
};

type LevelsMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends LevelsMessages {}
}

registerMessages('certification.levels', { fr, en });
