import { registerMessages } from '../../platform/i18n';

/**
 * The privacy module's messages of retention (ACC-14): the notice emailed before data is deleted
 * or anonymised, and the learner's page "what we keep, why, until when". French is the
 * reference; English has the same keys and placeholders.
 */
const fr = {
  'privacy.retention.title': 'Ce que nous conservons sur vous',
  'privacy.retention.link': 'Ce que nous conservons sur vous, et jusqu’à quand',
  'privacy.retention.intro': 'Voici les données que le service garde à votre sujet, pourquoi, et combien de temps. Passé ce délai, elles sont supprimées ou anonymisées automatiquement ; vous êtes prévenu·e par email {days} jours avant.',
  'privacy.retention.account': 'Votre compte',
  'privacy.retention.accountUntil': 'Votre compte est conservé {months} mois après votre dernière connexion ou votre dernière activité sur une candidature, soit jusqu’au {date} si vous ne vous connectez plus d’ici là.',
  'privacy.retention.accountKeep': 'Pour le garder, il suffit de vous connecter : le délai repart de zéro.',
  'privacy.retention.closure': 'Si vous fermez votre compte, tout est supprimé, sauf ce que la loi oblige à garder (paiements, attestations et certificats délivrés), qui est anonymisé : plus rien ne le relie à vous.',
  'privacy.retention.scheduled': 'Prévu prochainement',
  'privacy.retention.scheduledItem': '{what} : {end} à partir du {date}.',
  'privacy.retention.table': 'Vos données, leur usage et leur durée de conservation',
  'privacy.retention.col.what': 'Données',
  'privacy.retention.col.why': 'Pourquoi',
  'privacy.retention.col.basis': 'Sur quelle base',
  'privacy.retention.col.until': 'Combien de temps',
  'privacy.retention.col.end': 'Ensuite',
  'privacy.retention.none': 'Aucune donnée déclarée pour l’instant.',
  'privacy.retention.back': 'Retour à mon compte',
  'privacy.retention.what.account': 'votre compte et tout ce qu’il contient',
  'privacy.retention.end.delete': 'supprimé',
  'privacy.retention.end.anonymise': 'anonymisé',
  'privacy.retention.end.both': 'supprimé ou anonymisé',
  'privacy.retention.end.close': 'fermé',
  'privacy.retention.email.subject': 'Cursus : certaines de vos données arrivent au terme de leur conservation',
  'privacy.retention.email.intro': 'Bonjour,\n\nLes règles de conservation des données personnelles du service prévoient ce qui suit pour les vôtres :',
  'privacy.retention.email.item': '{what} : {end} à partir du {date}',
  'privacy.retention.email.keepAccount': 'Pour garder votre compte, il suffit de vous connecter avant le {date} : {url}',
  'privacy.retention.email.keepData': 'Vous pouvez télécharger vos données d’ici là : {url}',
  'privacy.retention.email.more': 'Ce que nous conservons, pourquoi et jusqu’à quand : {url}',
  'privacy.retention.purpose.notices': 'Prévenir avant de supprimer ou d’anonymiser des données, et ne le faire qu’après le délai annoncé',
  'privacy.retention.from.noticeClosed': 'la fin de l’avis (données supprimées ou avis annulé)',
  'privacy.retention.export.title': 'Avis de fin de conservation',
};

const en: Record<keyof typeof fr, string> = {
  'privacy.retention.title': 'What we keep about you',
  'privacy.retention.link': 'What we keep about you, and until when',
  'privacy.retention.intro': 'Here is the data the service keeps about you, why, and for how long. After that it is deleted or anonymised automatically; you are told by email {days} days before.',
  'privacy.retention.account': 'Your account',
  'privacy.retention.accountUntil': 'Your account is kept {months} months after your last sign-in or your last activity on an application, that is until {date} if you do not sign in again by then.',
  'privacy.retention.accountKeep': 'To keep it, just sign in: the period starts again.',
  'privacy.retention.closure': 'If you close your account, everything is deleted except what the law requires us to keep (payments, attestations and certificates issued), which is anonymised: nothing links it to you any more.',
  'privacy.retention.scheduled': 'Coming up',
  'privacy.retention.scheduledItem': '{what}: {end} from {date}.',
  'privacy.retention.table': 'Your data, its use and how long it is kept',
  'privacy.retention.col.what': 'Data',
  'privacy.retention.col.why': 'Why',
  'privacy.retention.col.basis': 'Legal basis',
  'privacy.retention.col.until': 'How long',
  'privacy.retention.col.end': 'Then',
  'privacy.retention.none': 'No data declared yet.',
  'privacy.retention.back': 'Back to my account',
  'privacy.retention.what.account': 'your account and everything in it',
  'privacy.retention.end.delete': 'deleted',
  'privacy.retention.end.anonymise': 'anonymised',
  'privacy.retention.end.both': 'deleted or anonymised',
  'privacy.retention.end.close': 'closed',
  'privacy.retention.email.subject': 'Cursus: some of your data reaches the end of its retention period',
  'privacy.retention.email.intro': 'Hello,\n\nThe service’s rules for keeping personal data provide for the following about yours:',
  'privacy.retention.email.item': '{what}: {end} from {date}',
  'privacy.retention.email.keepAccount': 'To keep your account, just sign in before {date}: {url}',
  'privacy.retention.email.keepData': 'You can download your data before then: {url}',
  'privacy.retention.email.more': 'What we keep, why and until when: {url}',
  'privacy.retention.purpose.notices': 'Telling learners before data is deleted or anonymised, and doing it only after the period announced',
  'privacy.retention.from.noticeClosed': 'the end of the notice (data deleted or notice cancelled)',
  'privacy.retention.export.title': 'Notices of the end of retention',
};

type RetentionMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends RetentionMessages {}
}

registerMessages('privacy.retention', { fr, en });
