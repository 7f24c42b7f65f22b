import { registerMessages } from '../../platform/i18n';

/**
 * The catalogue's messages of enrolment all year (CRED-2) and of the funding sources (CRED-5),
 * which every page above shows by these keys. French is the reference.
 */
const fr = {
  'cred.funding.source.personal': 'Personnel (je paie moi-même)',
  'cred.funding.source.cpf': 'Compte personnel de formation (CPF)',
  'cred.funding.source.region': 'Région (demandeurs d’emploi)',
  'cred.funding.source.aif': 'Aide individuelle à la formation (AIF, France Travail)',
  'cred.funding.source.employer': 'Employeur',
  'cred.fee.learner': '{source} — {amount} à votre charge',
  'cred.fee.funder': '{source} — {amount} facturés à l’organisme, {zero} pour vous',
  'cred.enrol.source': 'Financement',
  'cred.sheet.enrol': 'S’inscrire',
  'cred.sheet.enrolHint': 'Inscription possible toute l’année, tant que le cours a des places et n’est pas terminé.',
  'cred.sheet.loginToEnrol': 'Se connecter pour s’inscrire',
};

const en: Record<keyof typeof fr, string> = {
  'cred.funding.source.personal': 'Personal (I pay myself)',
  'cred.funding.source.cpf': 'Personal training account (CPF)',
  'cred.funding.source.region': 'Region (job seekers)',
  'cred.funding.source.aif': 'Individual training aid (AIF, France Travail)',
  'cred.funding.source.employer': 'Employer',
  'cred.fee.learner': '{source} — {amount} paid by you',
  'cred.fee.funder': '{source} — {amount} invoiced to the funder, {zero} for you',
  'cred.enrol.source': 'Funding',
  'cred.sheet.enrol': 'Enrol',
  'cred.sheet.enrolHint': 'Enrolment is open all year, while the course has places and has not ended.',
  'cred.sheet.loginToEnrol': 'Log in to enrol',
};

type EnrolMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends EnrolMessages {}
}

registerMessages('catalogue.enrol', { fr, en });
