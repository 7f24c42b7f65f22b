import type { fr } from './fr';

export const en: Record<keyof typeof fr, string> = {
  'service.name': 'Municipal adult courses',
  'service.tagline': 'Online registration',

  'layout.skip': 'Skip to content',
  'layout.nav': 'Main menu',
  'layout.home': 'Home',
  'layout.login': 'Log in',
  'layout.signup': 'Create an account',
  'layout.account': 'My account',
  'layout.staff': 'Staff area',
  'layout.logout': 'Log out',
  'layout.switchLanguage': 'Français',
  'layout.switchLanguageLabel': 'Lire ce site en français',
  'layout.help': 'Need help? Call 3975 (Monday to Friday, 8:30 am to 6 pm).',
  'layout.mailbox': 'Development mailbox',
  'layout.requestId': 'Request reference: {id}',
  'layout.search': 'Find a course',

  'form.errorSummary.one': 'There is a problem with 1 field',
  'form.errorSummary.other': 'There are problems with {count} fields',
  'form.optional': '(optional)',

  'error.notFound.title': 'Page not found',
  'error.notFound.message': 'This page does not exist or no longer exists. Check the address or go back to the home page.',
  'error.forbidden.title': 'Access denied',
  'error.forbidden.message': 'You are not allowed to see this page.',
  'error.unauthenticated.title': 'Please log in',
  'error.unauthenticated.message': 'Log in to continue.',
  'error.csrf.title': 'Form expired',
  'error.csrf.message': 'This form is no longer valid (it may have been opened a long time ago). Go back to the previous page, reload it and try again.',
  'error.rateLimited.title': 'Too many attempts',
  'error.rateLimited.message': 'You have made too many attempts in a short time. Wait a few minutes before trying again.',
  'error.validation.title': 'Incorrect request',
  'error.validation.message': 'This request could not be understood.',
  'error.conflict.title': 'Not possible',
  'error.conflict.message': 'This action is no longer possible.',
  'error.unavailable.title': 'Service temporarily unavailable',
  'error.unavailable.message': 'The service is very busy. Try again in a moment.',
  'error.server.title': 'Service error',
  'error.server.message': 'Something went wrong on our side. Nothing was lost; try again in a moment. If the problem continues, call 3975 and give the reference below.',
  'error.backHome': 'Go back to the home page',

  'field.required': 'This field is required.',
  'field.tooLong': 'This text is too long ({max} characters at most).',
  'field.invalidChoice': 'Choose one of the options.',
  'field.invalidCharacters': 'This text holds an invisible character that is not accepted: type it again.',

  'email.invalid': 'Enter a valid email address, like name@example.com.',
  'email.footer': 'This message was sent automatically, please do not reply. Need help? Call 3975.',

  'date.invalid': 'Enter a valid date, like 14/07/1985.',

  'mailbox.title': 'Development mailbox',
  'mailbox.intro': 'Without SMTP_URL, emails stay here instead of being sent. This page does not exist in production, and answers only a browser on the machine that runs the app.',
  'mailbox.empty': 'No email yet.',
  'mailbox.to': 'To',
  'mailbox.subject': 'Subject',
  'mailbox.date': 'Date',
  'mailbox.back': 'Back to the mailbox',
  'mailbox.totp': 'TOTP codes of the demo accounts',
  'mailbox.totpIntro': 'To try the staff login without an authenticator app.',

  'arrondissement.n': '{n}th arrondissement',
  'arrondissement.1': '1st arrondissement',

  'slot': '{day} from {from} to {to}',

  'apps.nav': 'My applications',
};
