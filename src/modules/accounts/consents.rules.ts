import type { Locale } from '../../platform/i18n';
import type { ConsentKind } from './consents.table';

/**
 * The terms of use, in one place: their text, their version and the date it took effect, and
 * what changed from the version before. Changing the text means a new version here: every
 * learner is then asked to accept it at their next page (ACC-1), and their consent records it.
 */
export const currentTerms = {
  version: '2',
  /** The day this version took effect (YYYY-MM-DD). */
  effectiveOn: '2026-12-01',
  text: {
    fr: [
      'Ce service permet de créer un compte, de compléter sa fiche et de candidater aux cours municipaux d’adultes.',
      'Vos données servent uniquement à traiter vos candidatures et inscriptions. Vous pouvez les consulter et les corriger depuis « Mon compte ». Votre mot de passe est conservé sous une forme qui ne permet pas de le retrouver.',
      'Vous pouvez vous connecter avec votre mot de passe ou avec un compte d’identité (FranceConnect, le compte de la ville). Chaque connexion est enregistrée (date, moyen, adresse IP, navigateur) et vous la voyez dans « Mon compte » ; ce journal est conservé pour une durée limitée.',
      'Depuis « Mon compte », vous pouvez télécharger toutes vos données, retirer votre accord pour recevoir des informations et fermer votre compte. Ce que la loi oblige à garder (paiements, attestations délivrées) est alors anonymisé, le reste supprimé.',
      'Un compte par personne. Les informations que vous donnez doivent être exactes.',
    ],
    en: [
      'This service lets you create an account, complete your record and apply to the municipal adult courses.',
      'Your data is used only to handle your applications and enrolments. You can see and correct it from “My account”. Your password is stored in a form that cannot be turned back into the password.',
      'You can sign in with your password or with an identity account (FranceConnect, the city’s account). Every sign-in is recorded (date, means, IP address, browser) and shown in “My account”; this log is kept for a limited time.',
      'From “My account” you can download all your data, withdraw your agreement to receive news and close your account. What the law requires to keep (payments, certificates issued) is then anonymised, the rest deleted.',
      'One account per person. The information you give must be accurate.',
    ],
  } satisfies Record<Locale, string[]>,
  /** What changed from the version before, shown to whoever accepted that one. */
  changes: {
    fr: [
      'Connexion possible avec FranceConnect ou le compte de la ville.',
      'Un journal de vos connexions, visible dans « Mon compte ».',
      'Le téléchargement de vos données et la fermeture de votre compte, depuis « Mon compte ».',
    ],
    en: [
      'Signing in with FranceConnect or the city’s account.',
      'A log of your sign-ins, shown in “My account”.',
      'Downloading your data and closing your account, from “My account”.',
    ],
  } satisfies Record<Locale, string[]>,
} as const;

/** The version of the text each kind of consent is given to: the terms', and the news opt-in's wording (signup.news). */
export const consentVersions: Record<ConsentKind, string> = {
  terms: currentTerms.version,
  news: '1',
};

/** Accounts created before consents were recorded accepted this version (the migration's). */
export const FIRST_TERMS_VERSION = '1';
