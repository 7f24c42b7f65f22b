import { registerMessages } from '../../platform/i18n';

/**
 * The words of the personal-data sets of accounts, scopes, catalogue, documents, applications and
 * the platform (ACC-11, ACC-14): what each column is for (`privacy.purpose.*`), what starts its
 * period (`privacy.from.*`), the titles of their sections in the download (`privacy.section.*`),
 * why a closure waits (`privacy.block.*`) and what falls due (`privacy.due.*`). The sets name
 * these keys as strings (a lower module cannot import the privacy module); the sets' tests check
 * that every key they name is here. French is the reference; English has the same keys.
 */
const fr = {
  'privacy.purpose.signIn': 'Vous identifier et vous connecter à votre compte',
  'privacy.purpose.contactAccount': 'Vous écrire au sujet de votre compte et de vos candidatures',
  'privacy.purpose.preferences': 'Retenir vos choix : langue, lettre d’information',
  'privacy.purpose.secondFactor': 'Vérifier le second facteur de connexion des agents',
  'privacy.purpose.learnerRecord': 'Tenir votre fiche d’apprenant et reconnaître une même personne',
  'privacy.purpose.nameChange': 'Traiter vos demandes de changement de nom',
  'privacy.purpose.accountLinks': 'Envoyer les liens d’activation, de nouveau mot de passe et de changement d’adresse',
  'privacy.purpose.sessions': 'Garder votre session ouverte et vous montrer vos appareils connectés',
  'privacy.purpose.identityProvider': 'Vous connecter avec FranceConnect ou le compte de la ville, et vous en déconnecter',
  'privacy.purpose.loginProtection': 'Protéger les comptes contre les essais de mots de passe',
  'privacy.purpose.staffScope': 'Définir ce qu’un agent peut voir et faire',
  'privacy.purpose.trainer': 'Indiquer le formateur d’une session',
  'privacy.purpose.application': 'Étudier votre candidature, vous sélectionner et vous inscrire',
  'privacy.purpose.applicationHistory': 'Garder l’historique de votre candidature : qui, quand, pourquoi',
  'privacy.purpose.rateProof': 'Vérifier votre droit au demi-tarif',
  'privacy.purpose.issuedDocument': 'Permettre à chacun de vérifier un document délivré',
  'privacy.purpose.sentMessages': 'Envoyer les courriels et SMS et répondre aux questions sur leur remise',
  'privacy.purpose.auditTrail': 'Savoir qui a fait quoi sur votre dossier : la preuve du traitement',
  'privacy.purpose.connectionTrace': 'Sécurité : retrouver l’origine d’une connexion ou d’une action',
  'privacy.purpose.uploadedFiles': 'Conserver les fichiers que vous avez envoyés',
  'privacy.purpose.backgroundWork': 'Exécuter les tâches de fond qui vous concernent',
  'privacy.purpose.rateLimits': 'Limiter le nombre d’envois des formulaires publics',

  'privacy.from.lastActivity': 'votre dernière connexion ou candidature',
  'privacy.from.sessionStart': 'l’ouverture de la session de connexion',
  'privacy.from.loginAttempt': 'l’essai de connexion',
  'privacy.from.linkExpiry': 'la fin de validité du lien',
  'privacy.from.applicationClosed': 'la clôture de la candidature ou la fin de la formation',
  'privacy.from.examRequestDecided': 'la décision sur la demande d’examen',
  'privacy.from.documentIssued': 'la délivrance du document',
  'privacy.from.messageSent': 'l’envoi du message',
  'privacy.from.recordedAction': 'l’action enregistrée',
  'privacy.from.staffDuties': 'la fin des fonctions de l’agent',
  'privacy.from.courseSessionEnd': 'la dernière séance de la session de formation',
  'privacy.from.jobDone': 'la fin de la tâche',

  'privacy.section.account': 'Votre compte',
  'privacy.section.learnerRecord': 'Votre fiche d’apprenant',
  'privacy.section.nameChanges': 'Vos demandes de changement de nom',
  'privacy.section.accountLinks': 'Les liens envoyés à votre adresse',
  'privacy.section.sessions': 'Vos sessions de connexion',
  'privacy.section.identityLinks': 'Vos comptes FranceConnect ou de la ville reliés',
  'privacy.section.loginFailures': 'Les essais de connexion manqués',
  'privacy.section.staffScopes': 'Votre périmètre d’agent',
  'privacy.section.applications': 'Vos candidatures',
  'privacy.section.applicationEvents': 'L’historique de vos candidatures',
  'privacy.section.rateProofs': 'Vos justificatifs de demi-tarif',
  'privacy.section.documents': 'Les documents délivrés à votre nom',
  'privacy.section.emails': 'Les courriels envoyés à votre adresse',
  'privacy.section.sms': 'Les SMS envoyés à votre mobile',
  'privacy.section.audit': 'Le journal des actions sur votre compte et votre dossier',
  'privacy.section.files': 'Les fichiers que vous avez envoyés',

  'privacy.block.applicationInProgress':
    'Une de vos candidatures est en cours de traitement ou votre formation n’est pas terminée : attendez la fin, ou retirez la candidature, avant de fermer votre compte.',

  'privacy.due.rateProofs': 'les justificatifs envoyés avec vos candidatures',
  'privacy.due.examProofs': 'les justificatifs envoyés avec vos demandes d’examen',
};

const en: typeof fr = {
  'privacy.purpose.signIn': 'Identifying you and signing you in to your account',
  'privacy.purpose.contactAccount': 'Writing to you about your account and your applications',
  'privacy.purpose.preferences': 'Remembering your choices: language, newsletter',
  'privacy.purpose.secondFactor': 'Checking the staff’s second sign-in factor',
  'privacy.purpose.learnerRecord': 'Keeping your learner record and recognising one same person',
  'privacy.purpose.nameChange': 'Handling your requests to change your name',
  'privacy.purpose.accountLinks': 'Sending the activation, new password and address change links',
  'privacy.purpose.sessions': 'Keeping you signed in and showing you your signed-in devices',
  'privacy.purpose.identityProvider': 'Signing you in and out with FranceConnect or the city’s account',
  'privacy.purpose.loginProtection': 'Protecting accounts against password guessing',
  'privacy.purpose.staffScope': 'Defining what a staff member may see and do',
  'privacy.purpose.trainer': 'Naming the trainer of a session',
  'privacy.purpose.application': 'Studying your application, selecting and enrolling you',
  'privacy.purpose.applicationHistory': 'Keeping the history of your application: who, when, why',
  'privacy.purpose.rateProof': 'Checking your right to the half rate',
  'privacy.purpose.issuedDocument': 'Letting anyone verify a document issued',
  'privacy.purpose.sentMessages': 'Sending emails and text messages and answering questions about their delivery',
  'privacy.purpose.auditTrail': 'Knowing who did what on your file: the evidence of the processing',
  'privacy.purpose.connectionTrace': 'Security: finding where a sign-in or an action came from',
  'privacy.purpose.uploadedFiles': 'Keeping the files you sent',
  'privacy.purpose.backgroundWork': 'Running the background tasks that concern you',
  'privacy.purpose.rateLimits': 'Limiting how often the public forms are sent',

  'privacy.from.lastActivity': 'your last sign-in or application',
  'privacy.from.sessionStart': 'the start of the sign-in session',
  'privacy.from.loginAttempt': 'the sign-in attempt',
  'privacy.from.linkExpiry': 'the end of the link’s validity',
  'privacy.from.applicationClosed': 'the closing of the application or the end of the course',
  'privacy.from.examRequestDecided': 'the decision on the exam request',
  'privacy.from.documentIssued': 'the issue of the document',
  'privacy.from.messageSent': 'the sending of the message',
  'privacy.from.recordedAction': 'the action recorded',
  'privacy.from.staffDuties': 'the end of the staff member’s duties',
  'privacy.from.courseSessionEnd': 'the last meeting of the course session',
  'privacy.from.jobDone': 'the end of the task',

  'privacy.section.account': 'Your account',
  'privacy.section.learnerRecord': 'Your learner record',
  'privacy.section.nameChanges': 'Your requests to change your name',
  'privacy.section.accountLinks': 'The links sent to your address',
  'privacy.section.sessions': 'Your sign-in sessions',
  'privacy.section.identityLinks': 'Your linked FranceConnect or city accounts',
  'privacy.section.loginFailures': 'The failed sign-in attempts',
  'privacy.section.staffScopes': 'Your scope as a staff member',
  'privacy.section.applications': 'Your applications',
  'privacy.section.applicationEvents': 'The history of your applications',
  'privacy.section.rateProofs': 'Your half-rate proofs',
  'privacy.section.documents': 'The documents issued in your name',
  'privacy.section.emails': 'The emails sent to your address',
  'privacy.section.sms': 'The text messages sent to your mobile',
  'privacy.section.audit': 'The log of the actions on your account and your file',
  'privacy.section.files': 'The files you sent',

  'privacy.block.applicationInProgress':
    'One of your applications is being processed or your course has not ended: wait for the end, or withdraw the application, before closing your account.',

  'privacy.due.rateProofs': 'the proofs sent with your applications',
  'privacy.due.examProofs': 'the proofs sent with your exam requests',
};

type RegistryAMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends RegistryAMessages {}
}

export const registryACatalogue = registerMessages('privacy.registry-a', { fr, en });
