import { registerMessages, registerProfileWording } from '../../platform/i18n';

/**
 * The privacy module's messages of the closure of an account (ACC-11): the page, its refusals,
 * the confirmation and the email to the former address. French is the reference; English has the
 * same keys and placeholders.
 */
const fr = {
  'privacy.closure.title': 'Fermer mon compte',
  'privacy.closure.intro': 'La fermeture est définitive : vous ne pourrez plus vous connecter à ce compte, et ce qui est effacé ne peut pas être retrouvé.',
  'privacy.closure.exportFirst': 'Vous voulez garder une copie de vos données ? Téléchargez-les avant de fermer votre compte.',
  'privacy.closure.deleted.title': 'Ce qui est effacé',
  'privacy.closure.deleted.record': 'Votre fiche (identité, date et pays de naissance, adresse, téléphones) et votre adresse électronique.',
  'privacy.closure.deleted.applications': 'Vos réponses aux formulaires de candidature et les justificatifs que vous avez envoyés.',
  'privacy.closure.deleted.account': 'Votre mot de passe, vos consentements, vos connexions et sessions, votre lien de calendrier, et les liens avec FranceConnect, le compte de la Ville ou votre ancien compte.',
  'privacy.closure.deleted.messages': 'Les messages qui vous ont été envoyés et vos demandes au service.',
  'privacy.closure.kept.title': 'Ce que la loi oblige à conserver, rendu anonyme',
  'privacy.closure.kept.payments': 'Vos paiements et remboursements : ce sont des pièces comptables, conservées {years} ans.',
  'privacy.closure.kept.documents': 'Les attestations et certificats déjà délivrés : ils restent vérifiables pendant {years} ans par ceux à qui vous les avez remis.',
  'privacy.closure.kept.academicRecord': 'Les unités d’enseignement validées et les diplômes délivrés : votre parcours reste acquis, sans votre nom, pendant {years} ans ; le code d’un de vos documents permet de le retrouver.',
  'privacy.closure.kept.anonymous': 'Ces pièces ne sont plus reliées à vous : rien ne permet plus de retrouver votre nom à partir d’elles.',
  'privacy.closure.after.title': 'Ensuite',
  'privacy.closure.after.signedOut': 'Vous êtes déconnecté, sur tous vos appareils, et un message le confirme à votre adresse.',
  'privacy.closure.after.signUp': 'Vous pourrez créer un nouveau compte avec la même adresse, mais votre parcours ne sera pas repris.',
  'privacy.closure.blocked.title': 'Votre compte ne peut pas être fermé pour l’instant',
  'privacy.closure.blocked.intro': 'Ceci doit d’abord être réglé :',
  'privacy.closure.blocked.other': 'Une démarche est en cours sur votre compte.',
  'privacy.closure.blocked.where': 'Vos candidatures et vos paiements sont dans « Mes candidatures » : vous pouvez y retirer une candidature ou régler ce qui est dû.',
  'privacy.closure.blocked.applications': 'Mes candidatures',
  'privacy.closure.blocked.help': 'Une question ? Appelez le 3975.',
  'privacy.closure.confirm.title': 'Confirmer la fermeture',
  'privacy.closure.password': 'Votre mot de passe',
  'privacy.closure.passwordHint': 'Pour vérifier que c’est bien vous.',
  'privacy.closure.submit': 'Fermer définitivement mon compte',
  'privacy.closure.noPassword':
    'Votre compte n’a pas de mot de passe : il a été créé avec FranceConnect ou le compte de la Ville. Pour confirmer la fermeture, identifiez-vous à nouveau auprès de ce service.',
  'privacy.closure.reauth': 'Confirmer avec {provider}',
  'privacy.closure.reauthDone': 'Vous vous êtes identifié à nouveau : vous pouvez fermer votre compte.',
  'privacy.closure.reauthRequired': 'Identifiez-vous d’abord à nouveau auprès de votre fournisseur d’identité.',
  'privacy.closure.reauthUnavailable': 'Ce compte n’est relié à aucun fournisseur d’identité en service : appelez le 3975 pour le fermer.',
  'privacy.closure.done.title': 'Votre compte est fermé',
  'privacy.closure.done.message': 'Vos données ont été effacées, sauf ce que la loi oblige à conserver, rendu anonyme. Un message le confirme à votre ancienne adresse.',
  'privacy.closure.alreadyClosed': 'Ce compte est déjà fermé.',
  'privacy.closure.unknownAccount': 'Ce compte n’existe pas.',
  'privacy.closure.staffAccount': 'Un compte du personnel est fermé par un administrateur.',
  'privacy.closure.noLongerDue': 'Ce compte a été utilisé depuis l’avis : il n’est plus fermé.',
  'privacy.closure.email.subject': 'Votre compte des cours municipaux d’adultes est fermé',
  'privacy.closure.email.body':
    'Bonjour,\n\nVous avez fermé votre compte des cours municipaux d’adultes. Vos données ont été effacées, sauf ce que la loi oblige à conserver, rendu anonyme : vos paiements ({paymentYears} ans) et les attestations et certificats délivrés ({documentYears} ans).\n\nVous pouvez créer un nouveau compte quand vous le souhaitez : {signUp}\n\nSi vous n’avez pas fermé votre compte, appelez le 3975.',
  'privacy.closure.email.bodyRetention':
    'Bonjour,\n\nVotre compte des cours municipaux d’adultes n’avait plus servi depuis longtemps : il a été fermé, comme annoncé. Vos données ont été effacées, sauf ce que la loi oblige à conserver, rendu anonyme : vos paiements ({paymentYears} ans) et les attestations et certificats délivrés ({documentYears} ans).\n\nVous pouvez créer un nouveau compte quand vous le souhaitez : {signUp}',
};

const en: typeof fr = {
  'privacy.closure.title': 'Close my account',
  'privacy.closure.intro': 'Closing is final: you will no longer be able to sign in to this account, and what is deleted cannot be recovered.',
  'privacy.closure.exportFirst': 'Want to keep a copy of your data? Download it before closing your account.',
  'privacy.closure.deleted.title': 'What is deleted',
  'privacy.closure.deleted.record': 'Your learner record (identity, birth date and country, address, phones) and your email address.',
  'privacy.closure.deleted.applications': 'Your answers to the application forms and the proofs you sent.',
  'privacy.closure.deleted.account': 'Your password, your consents, your sign-ins and sessions, your calendar link, and the links with FranceConnect, the city account or your former account.',
  'privacy.closure.deleted.messages': 'The messages sent to you and your requests to the service.',
  'privacy.closure.kept.title': 'What the law requires us to keep, made anonymous',
  'privacy.closure.kept.payments': 'Your payments and refunds: they are accounting records, kept {years} years.',
  'privacy.closure.kept.documents': 'The attestations and certificates already issued: they stay verifiable for {years} years by those you gave them to.',
  'privacy.closure.kept.academicRecord': 'The teaching units passed and the diplomas issued: your record stays earned, without your name, for {years} years; the code of one of your documents finds it again.',
  'privacy.closure.kept.anonymous': 'These records are no longer linked to you: nothing in them leads back to your name.',
  'privacy.closure.after.title': 'Afterwards',
  'privacy.closure.after.signedOut': 'You are signed out, on all your devices, and a message confirms it to your address.',
  'privacy.closure.after.signUp': 'You may create a new account with the same address, but your history will not be carried over.',
  'privacy.closure.blocked.title': 'Your account cannot be closed for now',
  'privacy.closure.blocked.intro': 'This must be settled first:',
  'privacy.closure.blocked.other': 'Something is in progress on your account.',
  'privacy.closure.blocked.where': 'Your applications and payments are in “My applications”: you can withdraw an application or pay what is due there.',
  'privacy.closure.blocked.applications': 'My applications',
  'privacy.closure.blocked.help': 'A question? Call 3975.',
  'privacy.closure.confirm.title': 'Confirm the closure',
  'privacy.closure.password': 'Your password',
  'privacy.closure.passwordHint': 'To check that it is really you.',
  'privacy.closure.submit': 'Close my account for good',
  'privacy.closure.noPassword':
    'Your account has no password: it was created with FranceConnect or the city account. To confirm the closure, sign in again with that service.',
  'privacy.closure.reauth': 'Confirm with {provider}',
  'privacy.closure.reauthDone': 'You signed in again: you may close your account.',
  'privacy.closure.reauthRequired': 'First sign in again with your identity provider.',
  'privacy.closure.reauthUnavailable': 'This account is linked to no identity provider in service: call 3975 to close it.',
  'privacy.closure.done.title': 'Your account is closed',
  'privacy.closure.done.message': 'Your data has been deleted, except what the law requires us to keep, made anonymous. A message confirms it to your former address.',
  'privacy.closure.alreadyClosed': 'This account is already closed.',
  'privacy.closure.unknownAccount': 'This account does not exist.',
  'privacy.closure.staffAccount': 'A staff account is closed by an administrator.',
  'privacy.closure.noLongerDue': 'This account was used since the notice: it is no longer closed.',
  'privacy.closure.email.subject': 'Your municipal adult courses account is closed',
  'privacy.closure.email.body':
    'Hello,\n\nYou closed your municipal adult courses account. Your data has been deleted, except what the law requires us to keep, made anonymous: your payments ({paymentYears} years) and the attestations and certificates issued ({documentYears} years).\n\nYou may create a new account whenever you wish: {signUp}\n\nIf you did not close your account, call 3975.',
  'privacy.closure.email.bodyRetention':
    'Hello,\n\nYour municipal adult courses account had not been used for a long time: it has been closed, as announced. Your data has been deleted, except what the law requires us to keep, made anonymous: your payments ({paymentYears} years) and the attestations and certificates issued ({documentYears} years).\n\nYou may create a new account whenever you wish: {signUp}',
};

type ClosureMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends ClosureMessages {}
}

registerMessages('privacy.closure', { fr, en });

// Issue 18: the closure email's subject in the credits profile (the municipal text is the key's own).
registerProfileWording('credits', {
  fr: { 'privacy.closure.email.subject': 'Votre compte du Centre de formation continue est fermé' },
  en: { 'privacy.closure.email.subject': 'Your continuing-education centre account is closed' },
});
