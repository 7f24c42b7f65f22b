import type { RetentionRule } from '../../../platform/personal-data';
import type { MessageKey, Translator } from '../../../platform/i18n';

const k = (key: string) => key as MessageKey;

/** "10 ans après le paiement": a rule's period with the current policy value and what starts it (the set's message key). */
export function periodText(t: Translator, line: { retention: RetentionRule; period: { amount: number; unit: RetentionRule['unit'] } }): string {
  return t('privacy.register.period', { period: t.plural(`privacy.register.unit.${line.period.unit}`, line.period.amount), from: t(k(line.retention.from)) });
}

export const categoryText = (t: Translator, category: string) => t(k(`privacy.register.category.${category}`));
export const basisText = (t: Translator, basis: string) => t(k(`privacy.register.basis.${basis}`));
export const endText = (t: Translator, end: string) => t(k(`privacy.register.end.${end}`));
export const recipientsText = (t: Translator, category: string) => t(k(`privacy.register.recipients.${category}`));
export const message = (t: Translator, key: string) => t(k(key));
