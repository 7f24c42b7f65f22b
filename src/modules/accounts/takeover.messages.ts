import { registerMessages, registerProfileWording } from '../../platform/i18n';

/** SVC-5: the login by email or mobile, and the takeover of an account made at a help desk (decision 015). */
const fr = {
  'login.identifier': 'Adresse électronique ou numéro de portable',
  'login.identifierHint': 'Votre compte a été créé à un accueil sans adresse électronique ? Saisissez votre numéro de portable.',
  'login.identifierInvalid': 'Saisissez une adresse électronique (par exemple nom@exemple.fr) ou un numéro de portable (par exemple 06 12 34 56 78).',

  'account.mobileOnly': 'Votre numéro de portable {phone} (pas d’adresse électronique : vous pouvez en ajouter une ci-dessous)',
  'takeover.link': 'J’ai reçu un code par SMS pour reprendre mon compte',
  'takeover.title': 'Reprendre mon compte',
  'takeover.intro': 'Votre compte a été créé avec vous à un accueil. Saisissez votre numéro de portable (ou votre adresse électronique), le code à 8 chiffres reçu par SMS, puis choisissez votre mot de passe.',
  'takeover.identifier': 'Numéro de portable ou adresse électronique',
  'takeover.identifierHint': 'Par exemple 06 12 34 56 78',
  'takeover.code': 'Code reçu par SMS',
  'takeover.codeHint': '8 chiffres, par exemple 1234 5678. Le code est valable 30 minutes et ne sert qu’une fois.',
  'takeover.codeShape': 'Le code a 8 chiffres, par exemple 1234 5678.',
  'takeover.invalid': 'Ce code ne correspond pas, ou il n’est plus valable : un code sert une seule fois, pendant 30 minutes, et 5 erreurs l’annulent. Vérifiez le numéro et le code, ou demandez un nouveau code à l’accueil.',
  'takeover.submit': 'Reprendre mon compte',
  'takeover.noCode': 'Pas de code, ou code perdu ? L’accueil qui a créé votre compte peut vous en envoyer un nouveau.',
  'takeover.activation.title': 'Choisir mon mot de passe',
  'takeover.activation.intro': 'Votre compte a été créé avec vous à un accueil. Choisissez votre mot de passe : vous pourrez ensuite vous connecter seul(e).',
  'takeover.activation.submit': 'Enregistrer mon mot de passe',

  'email.assisted.subject': 'Votre compte Cours municipaux d’adultes : choisissez votre mot de passe',
  'email.assisted.body':
    'Bonjour,\n\nVotre compte a été créé avec vous à un accueil des Cours municipaux d’adultes. Pour le reprendre, choisissez votre mot de passe avec ce lien :\n\n{link}\n\nLe lien est valable {hours} heures. Vous pourrez ensuite suivre vos candidatures dans votre espace.',
  'privacy.purpose.takeoverCode': 'Permettre à la personne de reprendre le compte créé avec elle à un accueil (code envoyé par SMS)',
  'privacy.section.takeoverCodes': 'Les codes envoyés par SMS pour reprendre votre compte',
  'sms.takeover.code': 'Cours municipaux : votre code pour reprendre votre compte est {code}. Valable {minutes} min, une seule fois. Saisissez-le sur {link}',
};

const en: Record<keyof typeof fr, string> = {
  'login.identifier': 'Email address or mobile number',
  'login.identifierHint': 'Was your account made at a help desk without an email address? Enter your mobile number.',
  'login.identifierInvalid': 'Enter an email address (like name@example.com) or a mobile number (like 06 12 34 56 78).',

  'account.mobileOnly': 'Your mobile number {phone} (no email address: you may add one below)',
  'takeover.link': 'I received a code by SMS to take my account over',
  'takeover.title': 'Take my account over',
  'takeover.intro': 'Your account was made with you at a help desk. Enter your mobile number (or your email address), the 8-digit code you received by SMS, then choose your password.',
  'takeover.identifier': 'Mobile number or email address',
  'takeover.identifierHint': 'Like 06 12 34 56 78',
  'takeover.code': 'Code received by SMS',
  'takeover.codeHint': '8 digits, like 1234 5678. The code works for 30 minutes, once.',
  'takeover.codeShape': 'The code has 8 digits, like 1234 5678.',
  'takeover.invalid': 'This code does not match, or it no longer works: a code works once, for 30 minutes, and 5 mistakes cancel it. Check the number and the code, or ask the help desk for a new code.',
  'takeover.submit': 'Take my account over',
  'takeover.noCode': 'No code, or lost it? The help desk that made your account can send you a new one.',
  'takeover.activation.title': 'Choose my password',
  'takeover.activation.intro': 'Your account was made with you at a help desk. Choose your password: you can then log in on your own.',
  'takeover.activation.submit': 'Save my password',

  'email.assisted.subject': 'Your municipal adult courses account: choose your password',
  'email.assisted.body':
    'Hello,\n\nYour account was made with you at a help desk of the municipal adult courses. To take it over, choose your password with this link:\n\n{link}\n\nThe link works for {hours} hours. You can then follow your applications in your account.',
  'privacy.purpose.takeoverCode': 'Letting the person take over the account made with them at a help desk (code sent by SMS)',
  'privacy.section.takeoverCodes': 'The codes sent by SMS to take your account over',
  'sms.takeover.code': 'Municipal courses: your code to take your account over is {code}. Valid {minutes} min, once. Enter it at {link}',
};

export type TakeoverMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends TakeoverMessages {}
}

registerMessages('accounts.takeover', { fr, en });

// Issue 18: the takeover email in the credits profile (the municipal texts are the keys' own).
registerProfileWording('credits', {
  fr: {
    'email.assisted.subject': 'Votre compte du Centre de formation continue : choisissez votre mot de passe',
    'email.assisted.body':
      'Bonjour,\n\nVotre compte a été créé avec vous à un accueil du Centre de formation continue. Pour le reprendre, choisissez votre mot de passe avec ce lien :\n\n{link}\n\nLe lien est valable {hours} heures. Vous pourrez ensuite suivre vos unités d’enseignement dans votre espace.',
  },
  en: {
    'email.assisted.subject': 'Your continuing-education centre account: choose your password',
    'email.assisted.body':
      'Hello,\n\nYour account was made with you at a help desk of the continuing-education centre. To take it over, choose your password with this link:\n\n{link}\n\nThe link works for {hours} hours. You can then follow your teaching units in your account.',
  },
});
