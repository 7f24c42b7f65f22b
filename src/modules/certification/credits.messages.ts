import { registerMessages } from '../../platform/i18n';

/** The certification module's messages of units earned (CRED-1). French is the reference. */
const fr = {
  'privacy.purpose.certification.credits': 'Garder les unités d’enseignement que vous avez validées et leurs crédits ECTS, acquis à vie, pour vos cursus',
  'privacy.section.certification.credits': 'Unités d’enseignement validées',
};

const en: Record<keyof typeof fr, string> = {
  'privacy.purpose.certification.credits': 'Keep the teaching units you passed and their ECTS credits, earned for life, for your programmes',
  'privacy.section.certification.credits': 'Teaching units passed',
};

type CreditsEarnedMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends CreditsEarnedMessages {}
}

registerMessages('certification.credits', { fr, en });
