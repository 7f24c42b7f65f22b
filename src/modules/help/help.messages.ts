import { registerMessages } from '../../platform/i18n';

/**
 * The help pages' messages (SVC-1). The articles themselves are markdown files, content/<fr|en>/.
 * French is the reference; English has the same keys and placeholders.
 */
const fr = {
  'help.title': 'Aide',
  'help.intro': 'Les réponses aux questions que l’on nous pose le plus, en mots simples.',
  'help.search.label': 'Rechercher dans l’aide',
  'help.search.hint': 'Écrivez un ou deux mots. Par exemple : demi-tarif, remboursement, liste d’attente.',
  'help.search.submit': 'Rechercher',
  'help.search.tooLong': 'Votre recherche est trop longue : {max} caractères au maximum. Gardez un ou deux mots.',
  'help.results.one': 'Un article répond à « {query} »',
  'help.results.other': '{count} articles répondent à « {query} »',
  'help.results.none': 'Aucun article ne répond à « {query} ». Essayez avec d’autres mots, ou regardez les thèmes ci-dessous.',
  'help.themes': 'Toutes les questions, par thème',
  'help.theme.inscription': 'S’inscrire',
  'help.theme.selection': 'Comment les places sont données',
  'help.theme.paiement': 'Payer',
  'help.theme.cours': 'Pendant le cours',
  'help.theme.certificats': 'Certificats et diplômes',
  'help.theme.compte': 'Votre compte et vos données',
  'help.theme.aide': 'Trouver de l’aide',
  'help.themeOf': 'Thème : {theme}',
  'help.back': 'Retour à l’aide',
  'help.sameTheme': 'Sur le même thème',
  'help.still': 'Vous n’avez pas trouvé la réponse ?',
  'help.writeUs': 'Écrivez-nous avec le formulaire de contact',
  'help.link': 'Aide : {title}',
} as const;

const en: Record<keyof typeof fr, string> = {
  'help.title': 'Help',
  'help.intro': 'Answers to the questions people ask us most, in plain words.',
  'help.search.label': 'Search the help pages',
  'help.search.hint': 'Type one or two words. For example: half rate, refund, waiting list.',
  'help.search.submit': 'Search',
  'help.search.tooLong': 'Your search is too long: {max} characters at most. Keep one or two words.',
  'help.results.one': 'One article answers “{query}”',
  'help.results.other': '{count} articles answer “{query}”',
  'help.results.none': 'No article answers “{query}”. Try other words, or look at the themes below.',
  'help.themes': 'All the questions, by theme',
  'help.theme.inscription': 'Registering',
  'help.theme.selection': 'How places are given',
  'help.theme.paiement': 'Paying',
  'help.theme.cours': 'During the course',
  'help.theme.certificats': 'Certificates and diplomas',
  'help.theme.compte': 'Your account and your data',
  'help.theme.aide': 'Finding help',
  'help.themeOf': 'Theme: {theme}',
  'help.back': 'Back to help',
  'help.sameTheme': 'On the same theme',
  'help.still': 'Did not find the answer?',
  'help.writeUs': 'Write to us with the contact form',
  'help.link': 'Help: {title}',
};

type HelpMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends HelpMessages {}
}

registerMessages('help', { fr, en });
