import { registerMessages } from '../../platform/i18n';

/**
 * The legacy module's messages (ACC-9: the previous system's accounts and their history),
 * registered when this file is loaded (src/messages.ts loads every module's). French is the
 * reference; English has the same keys and placeholders.
 */
const fr = {
  // The link page, /compte/ancien-compte
  'legacy.link.title': 'Mon ancien compte',
  'legacy.link.accountLink': 'Rattacher mon ancien compte (inscrit·e avant l’ouverture de ce site)',
  'legacy.link.intro':
    'Si vous étiez inscrit·e aux cours avant l’ouverture de ce site, rattachez une seule fois votre ancien compte à celui-ci pour garder votre historique de formation : vos anciens cours, votre assiduité et vos certificats de compétences comptent alors pour les niveaux suivants et pour la sélection. Ensuite, seuls vos identifiants actuels servent.',
  'legacy.link.byPassword': 'Avec l’adresse et le mot de passe de l’ancien compte',
  'legacy.link.oldEmail': 'Adresse électronique de l’ancien compte',
  'legacy.link.oldPassword': 'Mot de passe de l’ancien compte',
  'legacy.link.submit': 'Rattacher mon ancien compte',
  'legacy.link.byCode': 'Ancien mot de passe oublié ?',
  'legacy.link.byCodeIntro': 'Recevez un code à usage unique à l’adresse de l’ancien compte : il vaut {minutes} minutes et sert une seule fois, pour ce rattachement.',
  'legacy.link.sendCode': 'Recevoir un code à cette adresse',
  'legacy.link.codeSent':
    'Si cette adresse est celle d’un ancien compte qui n’est pas encore rattaché, un code vient d’y être envoyé. Saisissez-le ci-dessous ; il vaut {minutes} minutes.',
  'legacy.link.codeTitle': 'Saisir le code reçu',
  'legacy.link.code': 'Code reçu par courriel',
  'legacy.link.codeHint': '8 chiffres, par exemple 1234 5678',
  'legacy.link.codeSubmit': 'Rattacher avec ce code',
  'legacy.link.done': 'Votre ancien compte ({email}) est rattaché à ce compte depuis le {date}. Seuls vos identifiants actuels servent désormais.',
  'legacy.link.alreadyDone': 'C’est déjà fait : votre ancien compte est rattaché à ce compte.',
  'legacy.link.linked': 'Votre ancien compte est rattaché : votre historique est dans Mon parcours.',
  'legacy.link.history': 'Voir mon parcours, avec mes anciens cours',
  'legacy.link.record': 'Les informations de votre ancien compte',
  'legacy.link.recordIntro': 'Comparez-les à votre fiche : vos coordonnées se mettent à jour dans votre compte, un changement de nom se demande au service.',
  'legacy.link.back': 'Retour à mon compte',
  'legacy.err.wrong': 'Ancienne adresse ou ancien mot de passe incorrect. Un ancien compte déjà rattaché ne peut plus l’être avec son mot de passe : demandez plutôt un code.',
  'legacy.err.wait': 'Trop d’essais : réessayez dans {seconds} secondes, ou recevez un code à l’adresse de l’ancien compte.',
  'legacy.err.taken': 'Cet ancien compte est déjà rattaché à un autre compte : il ne peut l’être qu’une fois. Si ce n’est pas vous qui l’avez rattaché, écrivez au service des cours.',
  'legacy.err.noCode': 'Ce code n’est pas valable : vérifiez-le, ou demandez-en un nouveau (un code sert une fois, pendant {minutes} minutes, et {tries} essais au plus).',

  // The history, /compte/historique
  'legacy.history.title': 'Dans l’ancien système',
  'legacy.history.intro': 'Vos cours suivis avant l’ouverture de ce site, repris de votre ancien compte.',
  'legacy.history.mark': 'ancien système',
  'legacy.history.attendanceCertified': 'Attestation d’assiduité délivrée',
  'legacy.history.attendanceNotCertified': 'Pas d’attestation d’assiduité',
  'legacy.history.certificate': 'Délivré le {date}',
  'legacy.history.certificateNumbered': 'N° {number}, délivré le {date}',
  'legacy.history.linkAccount': 'Inscrit·e avant l’ouverture de ce site ? Rattachez votre ancien compte pour retrouver vos anciens cours.',

  // Emails to the old address
  'legacy.email.code.subject': 'Votre code pour rattacher votre ancien compte',
  'legacy.email.code.body':
    'Bonjour,\n\nQuelqu’un a demandé à rattacher l’ancien compte des cours de cette adresse à un compte du nouveau site. Si c’est vous, saisissez ce code sur la page {link} :\n\n{code}\n\nIl vaut {minutes} minutes et ne sert qu’une fois. Si ce n’est pas vous, ignorez ce message : rien ne change.',
  'legacy.email.linked.subject': 'Votre ancien compte est rattaché',
  'legacy.email.linked.body':
    'Bonjour,\n\nL’ancien compte des cours de cette adresse a été rattaché le {date} à un compte du nouveau site ; son ancien mot de passe n’est plus conservé. Si ce n’est pas vous, écrivez au service des cours.',
  'legacy.email.alreadyLinked.subject': 'Votre ancien compte est déjà rattaché',
  'legacy.email.alreadyLinked.body':
    'Bonjour,\n\nQuelqu’un a demandé un code pour rattacher l’ancien compte des cours de cette adresse, mais il est déjà rattaché à un compte du nouveau site depuis le {date} : il ne peut l’être qu’une fois. Si ce n’est pas vous qui l’avez rattaché, écrivez au service des cours.',

  // The import's report (import-legacy): file:line: what is wrong
  'legacy.import.err.hash': 'not a password hash of a known scheme (bcrypt $2a$/$2b$/$2y$, or sha256$<salt hex>$<hash hex>)',
  'legacy.import.err.bcryptCost': 'bcrypt cost {cost} is above the highest accepted, {max}: checking the password at each link try would take seconds of CPU or more',
  'legacy.import.err.required': 'required',
  'legacy.import.err.date': 'not a date: "{value}" (2016-09-19 or 19/09/2016)',
  'legacy.import.err.tooLong': 'at most {max} characters',
  'legacy.import.err.oneOf': 'one of: {values}',
  'legacy.import.err.country': 'a country code of two letters (FR, MA…)',
  'legacy.import.err.postalCode': 'not a postal code',
  'legacy.import.err.phone': 'not a phone number',
  'legacy.import.err.email': 'not an email address',
  'legacy.import.err.code': 'a course code: letters, digits, hyphens',
  'legacy.import.err.endBeforeStart': 'before started_on',
  'legacy.import.err.percent': 'a percentage from 0 to 100',
  'legacy.import.err.yesNo': 'oui or non',
  'legacy.import.err.certificateWithoutPass': 'a certificate of skills needs the outcome "passed"',
  'legacy.import.err.csv': 'not a readable CSV file: {detail}',
  'legacy.import.err.kind': 'neither an accounts file (a password_hash column) nor an enrolments file (a course_code column)',
  'legacy.import.err.missingColumns': 'missing columns: {columns}',
  'legacy.import.err.unknownColumns': 'unknown columns: {columns}',
  'legacy.import.err.noFile': 'no file given',
  'legacy.import.err.empty': 'no line after the header',
  'legacy.import.err.noAccounts': 'no accounts file: enrolments are imported with their accounts',
  'legacy.import.err.duplicate': 'this address is already at {where}',
  'legacy.import.err.noSuchAccount': 'no account with this address in the accounts file',
  'legacy.import.err.sameFiles': 'these files were imported already (import {id}, {date} UTC): nothing is imported twice',
  'legacy.import.err.alreadyImported': 'an old account with this address was imported already',
  'legacy.import.err.unknownCourse': 'no course with the code {code} in the catalogue',

  // The personal-data set (ACC-11, ACC-14)
  'legacy.data.accounts': 'Ancien compte',
  'legacy.data.enrolments': 'Cours suivis dans l’ancien système',
  'legacy.data.link': 'Rattachement de l’ancien compte',
  'legacy.data.codes': 'Codes de rattachement envoyés',
  'legacy.data.failures': 'Essais de rattachement manqués',
  'legacy.purpose.history': 'Garder l’historique de formation de l’ancien système (ACC-9) : niveaux suivants et sélection',
  'legacy.purpose.link': 'Rattacher une fois l’ancien compte au nouveau (ACC-9)',
  'legacy.purpose.throttle': 'Ralentir qui devine un ancien mot de passe ou un code',
  'legacy.retention.fromImport': 'l’import, pour un ancien compte jamais rattaché ; sinon la fermeture du compte',
  'legacy.retention.fromFailure': 'l’essai manqué (une heure en pratique)',
};

const en: Record<keyof typeof fr, string> = {
  'legacy.link.title': 'My former account',
  'legacy.link.accountLink': 'Link my former account (enrolled before this site opened)',
  'legacy.link.intro':
    'If you were enrolled in the courses before this site opened, link your former account to this one, once, to keep your training history: your past courses, attendance and certificates of skills then count for the next levels and for selection. Afterwards, only your current credentials are used.',
  'legacy.link.byPassword': 'With the former account’s address and password',
  'legacy.link.oldEmail': 'Email address of the former account',
  'legacy.link.oldPassword': 'Password of the former account',
  'legacy.link.submit': 'Link my former account',
  'legacy.link.byCode': 'Forgot the former password?',
  'legacy.link.byCodeIntro': 'Get a single-use code at the former account’s address: it is valid for {minutes} minutes and works once, for this link.',
  'legacy.link.sendCode': 'Send a code to this address',
  'legacy.link.codeSent': 'If this address belongs to a former account not linked yet, a code has just been sent to it. Type it below; it is valid for {minutes} minutes.',
  'legacy.link.codeTitle': 'Type the code received',
  'legacy.link.code': 'Code received by email',
  'legacy.link.codeHint': '8 digits, for example 1234 5678',
  'legacy.link.codeSubmit': 'Link with this code',
  'legacy.link.done': 'Your former account ({email}) has been linked to this account since {date}. Only your current credentials are used now.',
  'legacy.link.alreadyDone': 'Already done: your former account is linked to this account.',
  'legacy.link.linked': 'Your former account is linked: your history is in My learning record.',
  'legacy.link.history': 'See my learning record, with my past courses',
  'legacy.link.record': 'The details of your former account',
  'legacy.link.recordIntro': 'Compare them with your record: your contact details are updated in your account; a change of name is asked of the service.',
  'legacy.link.back': 'Back to my account',
  'legacy.err.wrong': 'Wrong former address or password. A former account already linked cannot be linked with its password any more: ask for a code instead.',
  'legacy.err.wait': 'Too many tries: try again in {seconds} seconds, or get a code at the former account’s address.',
  'legacy.err.taken': 'This former account is already linked to another account: it can be linked only once. If you did not link it, write to the courses’ service.',
  'legacy.err.noCode': 'This code is not valid: check it, or ask for a new one (a code works once, for {minutes} minutes, with {tries} tries at most).',

  'legacy.history.title': 'In the former system',
  'legacy.history.intro': 'Your courses before this site opened, taken from your former account.',
  'legacy.history.mark': 'former system',
  'legacy.history.attendanceCertified': 'Attendance certificate issued',
  'legacy.history.attendanceNotCertified': 'No attendance certificate',
  'legacy.history.certificate': 'Issued on {date}',
  'legacy.history.certificateNumbered': 'No. {number}, issued on {date}',
  'legacy.history.linkAccount': 'Enrolled before this site opened? Link your former account to find your past courses.',

  'legacy.email.code.subject': 'Your code to link your former account',
  'legacy.email.code.body':
    'Hello,\n\nSomeone asked to link the former courses account of this address to an account of the new site. If it was you, type this code on the page {link}:\n\n{code}\n\nIt is valid for {minutes} minutes and works once. If it was not you, ignore this message: nothing changes.',
  'legacy.email.linked.subject': 'Your former account is linked',
  'legacy.email.linked.body':
    'Hello,\n\nThe former courses account of this address was linked on {date} to an account of the new site; its former password is no longer kept. If it was not you, write to the courses’ service.',
  'legacy.email.alreadyLinked.subject': 'Your former account is already linked',
  'legacy.email.alreadyLinked.body':
    'Hello,\n\nSomeone asked for a code to link the former courses account of this address, but it has been linked to an account of the new site since {date}: it can be linked only once. If you did not link it, write to the courses’ service.',

  'legacy.import.err.hash': 'not a password hash of a known scheme (bcrypt $2a$/$2b$/$2y$, or sha256$<salt hex>$<hash hex>)',
  'legacy.import.err.bcryptCost': 'bcrypt cost {cost} is above the highest accepted, {max}: checking the password at each link try would take seconds of CPU or more',
  'legacy.import.err.required': 'required',
  'legacy.import.err.date': 'not a date: "{value}" (2016-09-19 or 19/09/2016)',
  'legacy.import.err.tooLong': 'at most {max} characters',
  'legacy.import.err.oneOf': 'one of: {values}',
  'legacy.import.err.country': 'a country code of two letters (FR, MA…)',
  'legacy.import.err.postalCode': 'not a postal code',
  'legacy.import.err.phone': 'not a phone number',
  'legacy.import.err.email': 'not an email address',
  'legacy.import.err.code': 'a course code: letters, digits, hyphens',
  'legacy.import.err.endBeforeStart': 'before started_on',
  'legacy.import.err.percent': 'a percentage from 0 to 100',
  'legacy.import.err.yesNo': 'oui or non',
  'legacy.import.err.certificateWithoutPass': 'a certificate of skills needs the outcome "passed"',
  'legacy.import.err.csv': 'not a readable CSV file: {detail}',
  'legacy.import.err.kind': 'neither an accounts file (a password_hash column) nor an enrolments file (a course_code column)',
  'legacy.import.err.missingColumns': 'missing columns: {columns}',
  'legacy.import.err.unknownColumns': 'unknown columns: {columns}',
  'legacy.import.err.noFile': 'no file given',
  'legacy.import.err.empty': 'no line after the header',
  'legacy.import.err.noAccounts': 'no accounts file: enrolments are imported with their accounts',
  'legacy.import.err.duplicate': 'this address is already at {where}',
  'legacy.import.err.noSuchAccount': 'no account with this address in the accounts file',
  'legacy.import.err.sameFiles': 'these files were imported already (import {id}, {date} UTC): nothing is imported twice',
  'legacy.import.err.alreadyImported': 'an old account with this address was imported already',
  'legacy.import.err.unknownCourse': 'no course with the code {code} in the catalogue',

  'legacy.data.accounts': 'Former account',
  'legacy.data.enrolments': 'Courses in the former system',
  'legacy.data.link': 'Link of the former account',
  'legacy.data.codes': 'Link codes sent',
  'legacy.data.failures': 'Failed link tries',
  'legacy.purpose.history': 'Keep the training history of the former system (ACC-9): next levels and selection',
  'legacy.purpose.link': 'Link the former account to the new one, once (ACC-9)',
  'legacy.purpose.throttle': 'Slow down whoever guesses a former password or a code',
  'legacy.retention.fromImport': 'the import, for a former account never linked; otherwise the account’s closure',
  'legacy.retention.fromFailure': 'the failed try (an hour in practice)',
};

type LegacyMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends LegacyMessages {}
}

registerMessages('legacy', { fr, en });
