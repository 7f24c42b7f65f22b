import { registerMessages } from '../../platform/i18n';

/**
 * The certification module's messages of the learner's history (ACC-10). French is the
 * reference; English has the same keys and placeholders.
 */
const fr = {
  'cert.history.title': 'Mon parcours',
  'cert.history.intro': 'Toutes vos candidatures et inscriptions, des plus récentes aux plus anciennes, avec leur issue, votre assiduité, vos certificats et les documents délivrés.',
  'cert.history.empty': 'Vous n’avez encore envoyé aucune candidature.',
  'cert.history.search': 'Chercher un cours',
  'cert.history.applications': 'Mes candidatures en cours',
  'cert.history.back': 'Retour à mon compte',
  'cert.history.group': '{school} — groupe {code}',
  'cert.history.period': 'Période d’inscription',
  'cert.history.dates': 'Dates du cours',
  'cert.history.datesValue': 'du {from} au {to}',
  'cert.history.sent': 'Candidature envoyée le',
  'cert.history.status': 'Issue',
  'cert.history.closedOn': '{status} (le {date})',
  'cert.history.why': 'Motif',
  'cert.history.attendance': 'Assiduité',
  'cert.history.attendanceFinal': '{percent} % des heures du cours',
  'cert.history.attendanceRunning': '{soFar} % des heures tenues jusqu’ici ; au plus {reachable} % possibles d’ici la fin',
  'cert.history.attendanceNotYet': 'Aucune séance tenue pour l’instant',
  'cert.history.attendanceUnknown': 'non calculée',
  'cert.history.evaluation': 'Évaluation de fin de cours',
  'cert.history.outcome.passed': 'Réussie',
  'cert.history.outcome.failed': 'Non réussie',
  'cert.history.outcome.absent': 'Absent·e à l’épreuve',
  'cert.history.certificates': 'Certificats',
  'cert.history.attendanceCertificate': 'Attestation d’assiduité',
  'cert.history.attendanceCertified': 'Délivrée : vous avez suivi au moins {percent} % des heures.',
  'cert.history.attendancePending': 'Accordée : elle est en cours d’établissement.',
  'cert.history.attendanceNotCertified': 'Non délivrée : elle demande au moins {percent} % des heures.',
  'cert.history.certificate': 'Certificat de compétences',
  'cert.history.certificateDue': 'Accordé : le service le délivre au plus tard le {date}.',
  'cert.history.certificateNone': 'Non délivré : il suppose la réussite de l’évaluation.',
  'cert.history.documents': 'Documents délivrés',
  'cert.history.document': '{kind}, code {code}, délivré le {date}',
  'cert.history.documentState': 'État : {status}',
  'cert.history.download': 'Télécharger (PDF)',
  'cert.history.downloadOf': 'Télécharger le document {kind} (PDF)',
  'cert.history.verify': 'Vérifier le code {code}',
  'cert.history.noDocuments': 'Aucun document délivré.',
};

const en: Record<keyof typeof fr, string> = {
  'cert.history.title': 'My learning record',
  'cert.history.intro': 'All your applications and enrolments, newest first, with their outcome, your attendance, your certificates and the documents issued.',
  'cert.history.empty': 'You have not sent any application yet.',
  'cert.history.search': 'Find a course',
  'cert.history.applications': 'My current applications',
  'cert.history.back': 'Back to my account',
  'cert.history.group': '{school} — group {code}',
  'cert.history.period': 'Registration period',
  'cert.history.dates': 'Course dates',
  'cert.history.datesValue': 'from {from} to {to}',
  'cert.history.sent': 'Application sent on',
  'cert.history.status': 'Outcome',
  'cert.history.closedOn': '{status} (on {date})',
  'cert.history.why': 'Reason',
  'cert.history.attendance': 'Attendance',
  'cert.history.attendanceFinal': '{percent}% of the course’s hours',
  'cert.history.attendanceRunning': '{soFar}% of the hours held so far; at most {reachable}% possible by the end',
  'cert.history.attendanceNotYet': 'No meeting held yet',
  'cert.history.attendanceUnknown': 'not computed',
  'cert.history.evaluation': 'End-of-course evaluation',
  'cert.history.outcome.passed': 'Passed',
  'cert.history.outcome.failed': 'Not passed',
  'cert.history.outcome.absent': 'Absent from the test',
  'cert.history.certificates': 'Certificates',
  'cert.history.attendanceCertificate': 'Attendance certificate',
  'cert.history.attendanceCertified': 'Issued: you attended at least {percent}% of the hours.',
  'cert.history.attendancePending': 'Granted: it is being prepared.',
  'cert.history.attendanceNotCertified': 'Not issued: it requires at least {percent}% of the hours.',
  'cert.history.certificate': 'Certificate of skills',
  'cert.history.certificateDue': 'Granted: the service issues it by {date} at the latest.',
  'cert.history.certificateNone': 'Not issued: it requires passing the evaluation.',
  'cert.history.documents': 'Documents issued',
  'cert.history.document': '{kind}, code {code}, issued on {date}',
  'cert.history.documentState': 'Status: {status}',
  'cert.history.download': 'Download (PDF)',
  'cert.history.downloadOf': 'Download the document {kind} (PDF)',
  'cert.history.verify': 'Verify the code {code}',
  'cert.history.noDocuments': 'No document issued.',
};

type HistoryMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends HistoryMessages {}
}

registerMessages('certification.history', { fr, en });
